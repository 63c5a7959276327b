package dev.tinystatic.image;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.content.Sha256;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteFile;
import dev.tinystatic.content.SiteServing;
import dev.tinystatic.server.ImageConfig;
import dev.tinystatic.server.OciImage;
import dev.tinystatic.server.OciIndex;
import dev.tinystatic.server.ServerBinary.Arch;
import dev.tinystatic.server.ServerImage;
import dev.tinystatic.server.TarLayer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A site's own image, for each of its platforms: the server image (layer 1, the very layer of the
 * generic image of that platform) plus a layer with the site's files under {@code /site} and their
 * gzip twins, the same for every platform, all in one OCI index. Reproducible: fixed times, sorted
 * entries, deterministic gzip, so the same inputs give the same digest anywhere. Made by {@link
 * ServerImage#withContent}: the configs hold only what tinyhttpd needs; the content hash is an
 * annotation of the index, which costs a node no download.
 *
 * @param site {@code namespace/name} of the site (part of its {@link #key}, not of the image: the
 *     repository names the site)
 * @param content the site's files
 * @param port the port the server listens on
 * @param platforms the architectures to bake for, in index order
 */
public record SiteImage(String site, SiteContent content, int port, List<Arch> platforms) {

  public static final String CONTENT_HASH_ANNOTATION = "dev.tinystatic.content-hash";

  /**
   * How this code lays images out: a change re-bakes every site (4: gzip twins only for the types
   * the server serves as text-like).
   */
  private static final String IMAGE_FORMAT = "image-format-5";

  public SiteImage {
    platforms = List.copyOf(platforms);
    if (platforms.isEmpty()) {
      throw new IllegalArgumentException("a site image needs at least one platform");
    }
  }

  /** For every platform this build carries a server for. */
  public SiteImage(String site, SiteContent content, int port) {
    this(site, content, port, ServerImage.platforms());
  }

  /** The image of {@code site} with {@code content}, for every platform of this build. */
  public static SiteImage of(TinyStaticSite site, SiteContent content) {
    return new SiteImage(
        site.getMetadata().getNamespace() + "/" + site.getMetadata().getName(),
        content,
        site.getSpec().portOrDefault());
  }

  /** The same site for {@code platforms} only. */
  public SiteImage forPlatforms(List<Arch> platforms) {
    return new SiteImage(site, content, port, platforms);
  }

  /**
   * Identifies the image this record bakes, and where, before it is baked. Covers the content, the
   * port, the site, the platforms with their server layers and the image layout (an upgraded
   * operator carrying a new server or laying images out anew re-bakes) and the repositories (a
   * moved registry re-bakes).
   */
  public String key(String pushRepository, String pullRepository) {
    List<String> parts =
        new ArrayList<>(List.of(site, Integer.toString(port), content.hash(), IMAGE_FORMAT));
    for (Arch arch : platforms) {
      parts.add(arch.platform() + " " + ServerImage.serverLayer(arch).digest());
    }
    parts.add(pushRepository);
    parts.add(pullRepository);
    return HexFormat.of()
        .formatHex(
            Sha256.digest().digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8)));
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
   * The server's arguments, the image's CMD: port, docroot and how it answers ({@link
   * SiteServing#args}), so the image serves the same anywhere it runs (a pod, podman run).
   */
  public List<String> args() {
    // tinyhttpd's defaults are -p 8080 -d /site: the port only when it differs
    List<String> args =
        new ArrayList<>(
            port == ServerImage.PORT ? List.of() : List.of("-p", Integer.toString(port)));
    args.addAll(content.serving().args(SiteServing.HEADERS_PATH));
    return args;
  }

  /**
   * The image index: per platform, layer 1 the server's own (shared with the generic image and
   * every other site image) and layer 2, the same for every platform: the site's files and their
   * twins under {@code /site}, and the server's headers file outside it ({@code
   * /tinystatic/headers}); annotated with the content hash. Layer 2 names its entries from {@code
   * ./} (as {@code tar -C DIR .} does) to hold both directories: one layer costs less than two.
   */
  public OciIndex index() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    String docroot = ServerImage.DOCROOT.substring(1) + "/";
    layerFiles().forEach((path, bytes) -> entries.put(docroot + path, bytes));
    entries.put(SiteServing.HEADERS_PATH.substring(1), content.serving().headersFile());
    OciImage.Layer layer = TarLayer.of(".", entries);
    List<OciImage> images =
        platforms.stream()
            .map(
                arch ->
                    OciImage.of(
                        List.of(ServerImage.serverLayer(arch), layer),
                        new ImageConfig(arch, ServerImage.ENTRYPOINT, args(), ServerImage.USER)))
            .toList();
    return OciIndex.of(images, Map.of(CONTENT_HASH_ANNOTATION, content.hash()));
  }
}
