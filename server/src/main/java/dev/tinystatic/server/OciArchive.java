package dev.tinystatic.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an {@link OciIndex} to a tar that every loader reads: an OCI image layout ({@code
 * oci-layout}, {@code index.json} naming the image index, {@code blobs/sha256/...} with the index,
 * each platform's manifest, config and layers; podman, skopeo, containerd's {@code ctr images
 * import}) that also carries Docker's {@code manifest.json} for the index's first platform ({@code
 * docker load}, kind: Docker's manifest.json has no platforms, and a second entry under the same
 * name would replace the first). The blobs are the images' own bytes, so the image keeps its digest
 * wherever it is loaded or copied. Reproducible: fixed order and times.
 */
public final class OciArchive {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OciArchive() {}

  /**
   * Writes {@code index}, named {@code reference} (e.g. {@code tinystatic/server:0.1.0}), to {@code
   * tar}: a regular file is replaced whole (mode 0644), anything else ({@code /dev/stdout}, a pipe)
   * is written to as it is.
   */
  public static void write(OciIndex index, Path tar, String reference) throws IOException {
    if (Files.exists(tar) && !Files.isRegularFile(tar)) {
      try (OutputStream out = Files.newOutputStream(tar)) {
        write(index, out, reference);
      }
      return;
    }
    Path parent = tar.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".image", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        write(index, out, reference);
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(tmp, tar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void write(OciIndex index, OutputStream file, String reference)
      throws IOException {
    var out = new TarArchiveOutputStream(file, "UTF-8");
    out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    out.setAddPaxHeadersForNonAsciiNames(true);
    entry(
        out,
        "oci-layout",
        JSON.writeValueAsBytes(JSON.createObjectNode().put("imageLayoutVersion", "1.0.0")));
    entry(out, "index.json", JSON.writeValueAsBytes(layoutIndex(index, reference)));
    entry(
        out,
        "manifest.json",
        JSON.writeValueAsBytes(dockerManifest(index.images().get(0), reference)));
    // each blob once: the platforms share the content layer
    Map<DescriptorDigest, byte[]> blobs = new LinkedHashMap<>();
    blobs.put(index.digest(), index.bytes());
    for (OciImage image : index.images()) {
      blobs.put(image.digest(), image.manifestBytes());
      blobs.put(image.configDigest(), image.config());
      image.layers().forEach(layer -> blobs.putIfAbsent(layer.digest(), layer.blob()));
    }
    for (var blob : blobs.entrySet()) {
      entry(out, blob(blob.getKey()), blob.getValue());
    }
    out.finish(); // the end-of-archive blocks; the caller closes the stream
  }

  /** The layout's {@code index.json}: one entry, the image index, under its name. */
  private static ObjectNode layoutIndex(OciIndex index, String reference) {
    ObjectNode layout =
        JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OciIndex.MEDIA_TYPE);
    ObjectNode entry =
        layout
            .putArray("manifests")
            .addObject()
            .put("mediaType", OciIndex.MEDIA_TYPE)
            .put("digest", index.digest().toString())
            .put("size", index.bytes().length);
    // the name as podman and skopeo read it, and as containerd does: fully qualified, as the
    // kubelet asks for it (tinystatic/server:1 is docker.io/tinystatic/server:1)
    entry
        .putObject("annotations")
        .put("org.opencontainers.image.ref.name", qualified(reference))
        .put("io.containerd.image.name", qualified(reference));
    return layout;
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
