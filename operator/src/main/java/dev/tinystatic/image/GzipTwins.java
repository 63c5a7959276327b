package dev.tinystatic.image;

import dev.tinystatic.server.BestGzip;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Precompressed {@code FILE.gz} twins, which the server sends to clients that accept gzip.
 * Deterministic ({@link BestGzip}): the same bytes always give the same twin (and the baked image
 * the same digest).
 */
public final class GzipTwins {

  /**
   * Extensions worth compressing: the text-like types the server serves (its mime.c table, checked
   * by CompressibleTypesTest); images, fonts and archives are compressed already, and a type the
   * server does not know goes out as application/octet-stream, gzip or not.
   */
  static final Set<String> COMPRESSIBLE =
      Set.of("html", "htm", "css", "js", "mjs", "json", "map", "svg", "txt", "xml", "wasm", "ico");

  private GzipTwins() {}

  public static boolean isCompressible(String path) {
    int dot = path.lastIndexOf('.');
    int slash = path.lastIndexOf('/');
    return dot > slash && COMPRESSIBLE.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The gzip twin of a compressible file, when it is smaller than the file. */
  public static Optional<byte[]> twin(String path, byte[] content) {
    if (!isCompressible(path)) {
      return Optional.empty();
    }
    byte[] gzipped = gzip(content);
    return gzipped.length < content.length ? Optional.of(gzipped) : Optional.empty();
  }

  static byte[] gzip(byte[] content) {
    return BestGzip.gzip(content);
  }
}
