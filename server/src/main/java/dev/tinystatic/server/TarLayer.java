package dev.tinystatic.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A reproducible image layer of files: a ustar tar (names sorted, time 0, owner 0:0, files 0444,
 * directories 0555, PAX headers only for names over 100 bytes) gzipped by {@link BestGzip}. Same
 * files, same bytes.
 */
public final class TarLayer {

  private TarLayer() {}

  /**
   * The layer holding {@code files} (paths relative to the root, '/'-separated, to their bytes)
   * under {@code directory}; the directories between are listed too, but not {@code directory}
   * itself, which a lower layer provides.
   */
  public static OciImage.Layer of(String directory, Map<String, byte[]> files) {
    String base = directory.replaceAll("^/+|/+$", "");
    SortedMap<String, byte[]> entries = new TreeMap<>();
    TreeSet<String> directories = new TreeSet<>();
    files.forEach(
        (path, bytes) -> {
          String name = base + "/" + path;
          entries.put(name, bytes);
          for (int slash = name.lastIndexOf('/');
              slash > base.length();
              slash = name.lastIndexOf('/', slash - 1)) {
            directories.add(name.substring(0, slash + 1));
          }
        });
    directories.forEach(d -> entries.put(d, null));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(new BestGzip(gz), "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true); // names as UTF-8, whatever the locale
      for (var entry : entries.entrySet()) {
        byte[] bytes = entry.getValue();
        TarArchiveEntry header = new TarArchiveEntry(entry.getKey(), true);
        header.setMode(bytes == null ? 040555 : 0100444); // type bits and permissions
        header.setModTime(FileTime.fromMillis(0));
        header.setIds(0, 0);
        header.setNames("", "");
        header.setSize(bytes == null ? 0 : bytes.length);
        tar.putArchiveEntry(header);
        if (bytes != null) {
          tar.write(bytes);
        }
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return OciImage.Layer.of(gz.toByteArray());
  }
}
