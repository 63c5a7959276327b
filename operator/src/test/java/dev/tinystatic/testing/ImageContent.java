package dev.tinystatic.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinystatic.server.ServerBinary;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The files a baked site image holds under {@code /site}, read from the registry blob by blob (from
 * an index, this machine's platform's image): on the mock API server, what the pod of an
 * Image-delivery site would serve.
 */
public final class ImageContent {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST_TYPES =
      "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json,"
          + " application/vnd.docker.distribution.manifest.v2+json";

  private ImageContent() {}

  /** What a node runs of a site image: its files (every layer, path from the root) and its CMD. */
  public record Image(Map<String, byte[]> entries, List<String> cmd) {

    /** The files under /site, as text. */
    public Map<String, String> siteFiles() {
      Map<String, String> files = new TreeMap<>();
      entries.forEach(
          (name, bytes) -> {
            if (name.startsWith("site/")) {
              files.put(name.substring("site/".length()), new String(bytes));
            }
          });
      return files;
    }
  }

  /**
   * @param reference {@code host:port/repo@sha256:...} in {@code registry}
   */
  public static Map<String, String> files(LocalRegistry registry, String reference)
      throws Exception {
    return image(registry, reference).siteFiles();
  }

  /**
   * @param reference {@code host:port/repo@sha256:...} in {@code registry}
   */
  public static Image image(LocalRegistry registry, String reference) throws Exception {
    String repository = reference.substring(reference.indexOf('/') + 1, reference.indexOf('@'));
    String digest = reference.substring(reference.indexOf('@') + 1);
    JsonNode manifest =
        JSON.readTree(
            registry.get("/v2/" + repository + "/manifests/" + digest, MANIFEST_TYPES).body());
    if (manifest.has("manifests")) { // an index: this machine's platform, as a node takes it
      String arch = ServerBinary.Arch.host().goArch();
      for (JsonNode platform : manifest.get("manifests")) {
        if (platform.at("/platform/architecture").asText().equals(arch)) {
          digest = platform.get("digest").asText();
        }
      }
      manifest =
          JSON.readTree(
              registry.get("/v2/" + repository + "/manifests/" + digest, MANIFEST_TYPES).body());
    }
    Map<String, byte[]> entries = new TreeMap<>();
    for (JsonNode layer : manifest.path("layers")) {
      byte[] blob =
          registry
              .get("/v2/" + repository + "/blobs/" + layer.path("digest").asText(), null)
              .body();
      try (var tar =
          new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(blob)))) {
        for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
          if (entry.isFile()) {
            entries.put(entry.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
          }
        }
      }
    }
    JsonNode config =
        JSON.readTree(
            registry
                .get("/v2/" + repository + "/blobs/" + manifest.at("/config/digest").asText(), null)
                .body());
    List<String> cmd = new java.util.ArrayList<>();
    config.at("/config/Cmd").forEach(arg -> cmd.add(arg.asText()));
    return new Image(entries, cmd);
  }
}
