package dev.tinystatic.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Java's gzip at the best level. Its header carries no name and no time, so the same bytes always
 * give the same output (with the same zlib): what reproducible layers and {@code .gz} twins need.
 */
public final class BestGzip extends GZIPOutputStream {

  public BestGzip(OutputStream out) throws IOException {
    super(out);
    def.setLevel(Deflater.BEST_COMPRESSION);
  }

  /** {@code bytes}, gzipped. */
  public static byte[] gzip(byte[] bytes) {
    var buffer = new ByteArrayOutputStream(bytes.length / 2 + 32);
    try (var out = new BestGzip(buffer)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }
}
