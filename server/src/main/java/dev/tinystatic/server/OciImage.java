package dev.tinystatic.server;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.hash.Digests;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import dev.tinystatic.server.ServerBinary.Arch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An OCI image for one platform, held in memory, every byte decided here: the gzipped layers, the
 * config ({@link ImageConfig}) and the manifest (Jib Core's template). Jib's container builder is
 * not used because it adds what a tinyhttpd image has no use for and cannot be told to leave out
 * (an empty {@code Env} and {@code Volumes}, a history entry per layer, PAX headers on every tar
 * entry) and compresses layers itself; here the server layer keeps the bytes the build compressed
 * once. The same inputs give the same bytes, hence the same digest, on every run and every machine.
 * Images of several platforms go together in an {@link OciIndex}.
 */
public final class OciImage {

  /**
   * A layer: its gzipped blob, that blob's digest and the digest of the tar inside (the diff id).
   */
  public record Layer(byte[] blob, DescriptorDigest digest, DescriptorDigest diffId) {

    /** The layer of a gzipped tar. */
    public static Layer of(byte[] gzippedTar) {
      try (InputStream tar = new GZIPInputStream(new ByteArrayInputStream(gzippedTar))) {
        return new Layer(gzippedTar, digestOf(new ByteArrayInputStream(gzippedTar)), digestOf(tar));
      } catch (IOException e) {
        throw new UncheckedIOException("not a gzipped layer: " + e.getMessage(), e);
      }
    }

    private static DescriptorDigest digestOf(InputStream in) throws IOException {
      return Digests.computeDigest(in).getDigest();
    }
  }

  private final Arch arch;
  private final List<Layer> layers;
  private final byte[] config;
  private final DescriptorDigest configDigest;
  private final OciManifestTemplate manifest;
  private final byte[] manifestBytes;
  private final DescriptorDigest digest;

  private OciImage(List<Layer> layers, ImageConfig config) throws IOException {
    this.arch = config.arch();
    this.layers = List.copyOf(layers);
    for (Layer layer : layers) {
      config.addLayerDiffId(layer.diffId());
    }
    this.config = JsonTemplateMapper.toByteArray(config);
    this.configDigest = Digests.computeDigest(new ByteArrayInputStream(this.config)).getDigest();
    this.manifest = new OciManifestTemplate();
    manifest.setContainerConfiguration(this.config.length, configDigest);
    for (Layer layer : layers) {
      manifest.addLayer(layer.blob().length, layer.digest());
    }
    // Jib's registry client sends the manifest as JsonTemplateMapper writes it: these bytes.
    this.manifestBytes = JsonTemplateMapper.toByteArray(manifest);
    this.digest = Digests.computeDigest(new ByteArrayInputStream(manifestBytes)).getDigest();
  }

  /**
   * The image of {@code layers} (bottom first) with {@code config}, whose layer diff ids this fills
   * in (so it must have none yet).
   */
  public static OciImage of(List<Layer> layers, ImageConfig config) {
    if (config.layerCount() != 0) {
      throw new IllegalArgumentException("the config already lists layers");
    }
    try {
      return new OciImage(layers, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The architecture it runs on (the OS is Linux). */
  public Arch arch() {
    return arch;
  }

  public List<Layer> layers() {
    return layers;
  }

  /** The config blob (JSON). */
  public byte[] config() {
    return config.clone();
  }

  public DescriptorDigest configDigest() {
    return configDigest;
  }

  /** The manifest, as Jib's registry client pushes it. */
  public OciManifestTemplate manifest() {
    return manifest;
  }

  /** The manifest's bytes, whose digest is the image's. */
  public byte[] manifestBytes() {
    return manifestBytes.clone();
  }

  /** The image's digest, {@code sha256:...}: that of its manifest. */
  public DescriptorDigest digest() {
    return digest;
  }

  /** What a node downloads to run it: the config and every layer, compressed. */
  public long size() {
    return config.length + layers.stream().mapToLong(l -> l.blob().length).sum();
  }

  /** The compressed size of each layer, bottom first. */
  public List<Long> layerSizes() {
    List<Long> sizes = new ArrayList<>();
    layers.forEach(l -> sizes.add((long) l.blob().length));
    return sizes;
  }
}
