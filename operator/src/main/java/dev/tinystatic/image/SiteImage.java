package dev.tinystatic.image;

import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.content.Sha256;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteFile;
import dev.tinystatic.server.ServerBinary;
import dev.tinystatic.server.ServerImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A site's own image: the server image (layer 1, the very layer of the generic image) plus a
 * layer with the site's files under {@code /site} and their gzip twins. Reproducible: fixed
 * times, sorted entries, deterministic gzip, so the same inputs give the same digest anywhere.
 *
 * @param site {@code namespace/name} of the site, recorded in a label
 * @param content the site's files
 * @param port the port the server listens on
 */
public record SiteImage(String site, SiteContent content, int port) {

  public static final String SITE_LABEL = "dev.tinystatic.site";
  public static final String CONTENT_HASH_LABEL = "dev.tinystatic.content-hash";
  private static final FilePermissions READ_ONLY = FilePermissions.fromOctalString("444");
  private static final String SERVER_DIGEST = sha256(ServerBinary.bytes(ServerBinary.Arch.AMD64));

  /** The image of {@code site} with {@code content}. */
  public static SiteImage of(TinyStaticSite site, SiteContent content) {
    return new SiteImage(
        site.getMetadata().getNamespace() + "/" + site.getMetadata().getName(),
        content,
        site.getSpec().portOrDefault());
  }

  /**
   * Identifies the image this record bakes, and where, before it is baked. Covers the content,
   * the port, the site, the server binary (an upgraded operator carrying a new server re-bakes)
   * and the repositories (a moved registry re-bakes).
   */
  public String key(String pushRepository, String pullRepository) {
    return sha256(String.join("\n", site, Integer.toString(port), content.hash(), SERVER_DIGEST,
        pushRepository, pullRepository).getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
   * The Jib builder of this image; Jib reads the files from {@code workDir}, which must outlive
   * the containerization.
   */
  public JibContainerBuilder builder(Path workDir) throws IOException {
    Path root = Files.createDirectories(workDir.resolve("site"));
    var layer = FileEntriesLayer.builder().setName("site");
    var entries = new java.util.TreeMap<>(layerFiles());
    int index = 0;
    for (var entry : entries.entrySet()) {
      // Flat names on disk: the path inside the image is given per entry.
      Path source = root.resolve(Integer.toString(index++));
      Files.write(source, entry.getValue());
      layer.addEntry(
          source,
          AbsoluteUnixPath.get(ServerImage.DOCROOT).resolve(entry.getKey()),
          READ_ONLY,
          FileEntriesLayer.DEFAULT_MODIFICATION_TIME,
          "0:0");
    }
    return ServerImage.builder(ServerBinary.Arch.AMD64, workDir)
        // OCI everywhere (registry, archive): one image, one digest, whatever the target.
        .setFormat(ImageFormat.OCI)
        .addFileEntriesLayer(layer.build())
        .setProgramArguments(List.of("-p", Integer.toString(port), "-d", ServerImage.DOCROOT))
        .setExposedPorts(Set.of(Port.tcp(port)))
        .setLabels(Map.of(SITE_LABEL, site, CONTENT_HASH_LABEL, content.hash()));
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(Sha256.digest().digest(bytes));
  }
}
