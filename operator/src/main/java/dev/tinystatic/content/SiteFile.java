package dev.tinystatic.content;

import java.nio.charset.StandardCharsets;

/**
 * One file of a site: where it is served, its bytes, and where it is kept.
 *
 * @param path the path under the docroot, e.g. {@code css/site.css}
 * @param bytes the file's content
 * @param source which part of the spec it came from
 * @param key the key in the ConfigMap that holds it
 */
public record SiteFile(String path, byte[] bytes, Source source, String key) {

  /** Where a file comes from; decides which ConfigMap holds it and in which map. */
  public enum Source {
    /** {@code spec.files}: kept as text in the content ConfigMap's {@code data}. */
    TEXT,
    /** {@code spec.binaryFiles}: kept in the content ConfigMap's {@code binaryData}. */
    BINARY,
    /** {@code spec.contentFrom.configMapRef}: stays in the user's ConfigMap. */
    REFERENCED
  }

  public static SiteFile text(String path, String content) {
    return new SiteFile(
        path, content.getBytes(StandardCharsets.UTF_8), Source.TEXT, SitePath.toKey(path));
  }

  public static SiteFile binary(String path, byte[] content) {
    return new SiteFile(path, content, Source.BINARY, SitePath.toKey(path));
  }

  public static SiteFile referenced(String key, byte[] content) {
    return new SiteFile(key, content, Source.REFERENCED, key);
  }

  public boolean isInline() {
    return source != Source.REFERENCED;
  }

  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
