package dev.tinystatic.content;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A site's validated files, sorted by path, with the hash that identifies this exact content: same
 * files, same hash, whatever order or source they came from.
 *
 * @param files every file, sorted by path
 * @param referencedConfigMap the user's ConfigMap some files come from, if any
 * @param serving how the server answers (headers file, 404 page, SPA fallback)
 */
public record SiteContent(
    List<SiteFile> files, Optional<String> referencedConfigMap, SiteServing serving) {

  public SiteContent {
    files = files.stream().sorted(Comparator.comparing(SiteFile::path)).toList();
  }

  /** With the default serving (no spec: tools and tests). */
  public SiteContent(List<SiteFile> files, Optional<String> referencedConfigMap) {
    this(files, referencedConfigMap, SiteServing.defaults(files));
  }

  /**
   * {@code sha256:<hex>} over every path and its bytes, length-prefixed so no two sites collide,
   * and how the server answers (a change there restarts the pods, which read it once).
   */
  public String hash() {
    MessageDigest sha256 = Sha256.digest();
    for (SiteFile file : files) {
      byte[] path = file.path().getBytes(StandardCharsets.UTF_8);
      sha256.update(ByteBuffer.allocate(4).putInt(path.length).array());
      sha256.update(path);
      sha256.update(ByteBuffer.allocate(8).putLong(file.bytes().length).array());
      sha256.update(file.bytes());
    }
    List<String> args = serving.args("");
    sha256.update(ByteBuffer.allocate(4).putInt(-1).array()); // no path has a negative length
    sha256.update(ByteBuffer.allocate(8).putLong(serving.headersFile().length).array());
    sha256.update(serving.headersFile());
    sha256.update(String.join("\0", args).getBytes(StandardCharsets.UTF_8));
    return "sha256:" + HexFormat.of().formatHex(sha256.digest());
  }

  public long totalBytes() {
    return files.stream().mapToLong(f -> f.bytes().length).sum();
  }

  public int count() {
    return files.size();
  }

  /** Files kept in the site's own content ConfigMap. */
  public List<SiteFile> inlineFiles() {
    return files.stream().filter(SiteFile::isInline).toList();
  }

  /** Files that stay in the user's referenced ConfigMap. */
  public List<SiteFile> referencedFiles() {
    return files.stream().filter(f -> !f.isInline()).toList();
  }
}
