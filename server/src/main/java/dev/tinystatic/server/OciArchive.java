package dev.tinystatic.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an {@link OciImage} to a tar that every loader reads: an OCI image layout ({@code
 * oci-layout}, {@code index.json}, {@code blobs/sha256/...}; podman, skopeo, containerd) that also
 * carries Docker's {@code manifest.json} pointing at the same blobs ({@code docker load}, kind), as
 * {@code docker save} itself writes since Docker 25. The blobs are the image's own bytes, so the
 * image keeps its digest wherever it is loaded or copied. Reproducible: fixed order and times.
 */
public final class OciArchive {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OciArchive() {}

  /**
   * Writes {@code image}, named {@code reference} (e.g. {@code tinystatic/server:0.1.0}), to {@code
   * tar}: a regular file is replaced whole (mode 0644), anything else ({@code /dev/stdout}, a pipe)
   * is written to as it is.
   */
  public static void write(OciImage image, Path tar, String reference) throws IOException {
    if (Files.exists(tar) && !Files.isRegularFile(tar)) {
      try (OutputStream out = Files.newOutputStream(tar)) {
        write(image, out, reference);
      }
      return;
    }
    Path parent = tar.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".image", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        write(image, out, reference);
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(tmp, tar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void write(OciImage image, OutputStream file, String reference)
      throws IOException {
    var out = new TarArchiveOutputStream(file, "UTF-8");
    out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    out.setAddPaxHeadersForNonAsciiNames(true);
    entry(
        out,
        "oci-layout",
        JSON.writeValueAsBytes(JSON.createObjectNode().put("imageLayoutVersion", "1.0.0")));
    entry(out, "index.json", JSON.writeValueAsBytes(index(image, reference)));
    entry(out, "manifest.json", JSON.writeValueAsBytes(dockerManifest(image, reference)));
    entry(out, blob(image.digest()), image.manifestBytes());
    entry(out, blob(image.configDigest()), image.config());
    for (OciImage.Layer layer : image.layers()) {
      entry(out, blob(layer.digest()), layer.blob());
    }
    out.finish(); // the end-of-archive blocks; the caller closes the stream
  }

  private static ObjectNode index(OciImage image, String reference) {
    ObjectNode index =
        JSON.createObjectNode()
            .put("schemaVersion", 2)
            .put("mediaType", "application/vnd.oci.image.index.v1+json");
    ObjectNode manifest =
        index
            .putArray("manifests")
            .addObject()
            .put("mediaType", OciManifestTemplate.MANIFEST_MEDIA_TYPE)
            .put("digest", image.digest().toString())
            .put("size", image.manifestBytes().length);
    // the name as podman and skopeo read it, and as containerd does: fully qualified, as the
    // kubelet asks for it (tinystatic/server:1 is docker.io/tinystatic/server:1)
    manifest
        .putObject("annotations")
        .put("org.opencontainers.image.ref.name", qualified(reference))
        .put("io.containerd.image.name", qualified(reference));
    return index;
  }

  /**
   * Docker's rule: a first component with no '.' or ':' that is not localhost names a Docker Hub
   * repository.
   */
  static String qualified(String reference) {
    int slash = reference.indexOf('/');
    String first = slash < 0 ? "" : reference.substring(0, slash);
    if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
      return reference;
    }
    return "docker.io/" + (slash < 0 ? "library/" : "") + reference;
  }

  private static ArrayNode dockerManifest(OciImage image, String reference) {
    ArrayNode manifests = JSON.createArrayNode();
    ObjectNode manifest = manifests.addObject().put("Config", blob(image.configDigest()));
    manifest.putArray("RepoTags").add(reference);
    ArrayNode layers = manifest.putArray("Layers");
    image.layers().forEach(l -> layers.add(blob(l.digest())));
    return manifests;
  }

  private static String blob(DescriptorDigest digest) {
    return "blobs/sha256/" + digest.getHash();
  }

  private static void entry(TarArchiveOutputStream out, String name, byte[] bytes)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    entry.setMode(0100644);
    entry.setModTime(FileTime.fromMillis(0));
    entry.setIds(0, 0);
    entry.setNames("", "");
    entry.setSize(bytes.length);
    out.putArchiveEntry(entry);
    out.write(bytes);
    out.closeArchiveEntry();
  }
}
