package dev.tinystatic.image;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.content.Sha256;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteFile;
import dev.tinystatic.server.OciImage;
import dev.tinystatic.server.ServerBinary;
import dev.tinystatic.server.ServerImage;
import dev.tinystatic.server.TarLayer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A site's own image: the server image (layer 1, the very layer of the generic image) plus a layer
 * with the site's files under {@code /site} and their gzip twins. Reproducible: fixed times, sorted
 * entries, deterministic gzip, so the same inputs give the same digest anywhere. Made by {@link
 * ServerImage#withContent}: the config holds only what tinyhttpd needs.
 *
 * @param site {@code namespace/name} of the site, recorded in a label
 * @param content the site's files
 * @param port the port the server listens on
 */
public record SiteImage(String site, SiteContent content, int port) {

  public static final String SITE_LABEL = "dev.tinystatic.site";
  public static final String CONTENT_HASH_LABEL = "dev.tinystatic.content-hash";

  /** The server layer (the binary inside it) and how this code lays images out: both re-bake. */
  private static final String SERVER_DIGEST =
      ServerImage.serverLayer(ServerBinary.Arch.AMD64).digest() + " image-format-3";

  /** The image of {@code site} with {@code content}. */
  public static SiteImage of(TinyStaticSite site, SiteContent content) {
    return new SiteImage(
        site.getMetadata().getNamespace() + "/" + site.getMetadata().getName(),
        content,
        site.getSpec().portOrDefault());
  }

  /**
   * Identifies the image this record bakes, and where, before it is baked. Covers the content, the
   * port, the site, the server layer and image layout (an upgraded operator carrying a new server
   * or laying images out anew re-bakes) and the repositories (a moved registry re-bakes).
   */
  public String key(String pushRepository, String pullRepository) {
    return sha256(
        String.join(
                "\n",
                site,
                Integer.toString(port),
                content.hash(),
                SERVER_DIGEST,
                pushRepository,
                pullRepository)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The files of the content layer, path under the docroot to bytes, twins included. */
  public Map<String, byte[]> layerFiles() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (SiteFile file : content.files()) {
      files.put(file.path(), file.bytes());
    }
    for (SiteFile file : content.files()) {
      String twin = file.path() + ".gz";
      if (!files.containsKey(twin)) {
        GzipTwins.twin(file.path(), file.bytes()).ifPresent(gz -> files.put(twin, gz));
      }
    }
    return files;
  }

  /**
   * The image: layer 1 the server's own (shared by every site image and the generic image), layer 2
   * the site's files and their twins under {@code /site}, labelled with the site and the content
   * hash.
   */
  public OciImage oci() {
    return ServerImage.withContent(
        ServerBinary.Arch.AMD64,
        TarLayer.of(ServerImage.DOCROOT, layerFiles()),
        port,
        Map.of(SITE_LABEL, site, CONTENT_HASH_LABEL, content.hash()));
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(Sha256.digest().digest(bytes));
  }
}
