package dev.tinystatic.server;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.hash.Digests;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import dev.tinystatic.server.ServerBinary.Arch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An OCI image index: one {@link OciImage} per platform, each named with its platform, plus
 * annotations. Its digest is what a pod runs: a node picks its own platform's image from it and
 * downloads only that one's config and layers. Annotations cost a node nothing it keeps (they are
 * in the index, not in an image's config), so what a person may want to read, such as the content
 * hash, goes here. Reproducible like the images it lists.
 */
public final class OciIndex {

  public static final String MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

  private final List<OciImage> images;
  private final Map<String, String> annotations;
  private final Template template;
  private final byte[] bytes;
  private final DescriptorDigest digest;

  private OciIndex(List<OciImage> images, Map<String, String> annotations) {
    this.images = List.copyOf(images);
    this.annotations = new TreeMap<>(annotations);
    this.template = new Template(this.images, this.annotations);
    try {
      // Jib's registry client sends the index as JsonTemplateMapper writes it: these bytes.
      this.bytes = JsonTemplateMapper.toByteArray(template);
      this.digest = Digests.computeDigest(new ByteArrayInputStream(bytes)).getDigest();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The index of {@code images}, one per architecture, in this order (a client without a platform
   * preference takes the first), with {@code annotations} (none: the field is left out).
   */
  public static OciIndex of(List<OciImage> images, Map<String, String> annotations) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("an index needs at least one image");
    }
    var seen = new HashSet<Arch>();
    for (OciImage image : images) {
      if (!seen.add(image.arch())) {
        throw new IllegalArgumentException("two images for " + image.arch().platform());
      }
    }
    return new OciIndex(images, annotations);
  }

  /** The platforms' images, in index order. */
  public List<OciImage> images() {
    return images;
  }

  /** The image for {@code arch}, if the index has one. */
  public Optional<OciImage> image(Arch arch) {
    return images.stream().filter(i -> i.arch() == arch).findFirst();
  }

  public Map<String, String> annotations() {
    return annotations;
  }

  /** The index as Jib's registry client pushes it ({@code RegistryClient.pushManifest}). */
  public ManifestTemplate template() {
    return template;
  }

  /** The index's bytes, whose digest is the multi-platform image's. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The digest pods run the image by, {@code sha256:...}. */
  public DescriptorDigest digest() {
    return digest;
  }

  /** The index JSON. Field names and order are the OCI image index's. */
  @SuppressWarnings("unused")
  private static final class Template implements ManifestTemplate {
    private final int schemaVersion = 2;
    private final String mediaType = MEDIA_TYPE;
    private final List<Descriptor> manifests = new ArrayList<>();
    private final Map<String, String> annotations; // null: none

    Template(List<OciImage> images, Map<String, String> annotations) {
      images.forEach(i -> manifests.add(new Descriptor(i)));
      this.annotations = annotations.isEmpty() ? null : annotations;
    }

    @Override
    public int getSchemaVersion() {
      return schemaVersion;
    }

    @Override
    public String getManifestMediaType() {
      return mediaType;
    }
  }

  @SuppressWarnings("unused")
  private static final class Descriptor implements JsonTemplate {
    private final String mediaType = OciManifestTemplate.MANIFEST_MEDIA_TYPE;
    private final DescriptorDigest digest;
    private final long size;
    private final Platform platform;

    Descriptor(OciImage image) {
      this.digest = image.digest();
      this.size = image.manifestBytes().length;
      this.platform = new Platform(image.arch().goArch());
    }
  }

  @SuppressWarnings("unused")
  private static final class Platform implements JsonTemplate {
    private final String architecture;
    private final String os = "linux";

    Platform(String architecture) {
      this.architecture = architecture;
    }
  }
}
