package dev.tinystatic.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.TarImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A site image written as an OCI archive (no registry, no daemon): what {@code tinystatic bake
 * --to oci-archive:PATH} writes, and how {@code render} learns the digest the operator will push.
 */
public final class ImageArchive {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageArchive() {}

  /**
   * Writes {@code image} to {@code tar} as an OCI archive named {@code reference}.
   *
   * @param pullRepository the repository the image will be run from (for its pull reference)
   */
  public static BakedImage write(
      SiteImage image, Path tar, String reference, String pullRepository, Path cache)
      throws IOException, InterruptedException {
    try (WorkDir work = WorkDir.create("tinystatic-archive-")) {
      JibContainer written =
          image
              .builder(work.path())
              .containerize(
                  SiteImageBaker.withCache(Containerizer.to(TarImage.at(tar).named(reference)), cache)
                      .setOfflineMode(true));
      String digest = written.getDigest().toString();
      List<Long> sizes = blobSizes(tar);
      long total = sizes.stream().mapToLong(Long::longValue).sum();
      return new BakedImage(
          image.key(reference.replaceFirst(":[^:/]*$", ""), pullRepository), digest, pullRepository + "@" + digest, total, sizes.subList(1, sizes.size()), false);
    } catch (IOException | InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot write the image to " + tar + ": " + e.getMessage(), e);
    }
  }

  /** Sizes from the archive's manifest: the config first, then each layer. */
  static List<Long> blobSizes(Path tar) throws IOException {
    Map<String, byte[]> jsonEntries = new HashMap<>();
    try (InputStream in = Files.newInputStream(tar);
        var entries = new TarArchiveInputStream(in)) {
      for (var entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
        if (entry.getSize() < 1 << 20) {
          jsonEntries.put(entry.getName(), entries.readAllBytes());
        }
      }
    }
    JsonNode index = JSON.readTree(Optional.ofNullable(jsonEntries.get("index.json"))
        .orElseThrow(() -> new IOException(tar + " is not an OCI archive (no index.json)")));
    String manifestDigest = index.at("/manifests/0/digest").asText();
    JsonNode manifest = JSON.readTree(jsonEntries.get("blobs/sha256/" + manifestDigest.substring(7)));
    List<Long> sizes = new ArrayList<>();
    sizes.add(manifest.at("/config/size").asLong());
    manifest.path("layers").forEach(layer -> sizes.add(layer.path("size").asLong()));
    return sizes;
  }
}
