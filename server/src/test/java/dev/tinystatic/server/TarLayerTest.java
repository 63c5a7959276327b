package dev.tinystatic.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/** The content layer of site images, read back by commons-compress's tar reader. */
class TarLayerTest {

  @Test
  void filesSortedUnderTheDirectoryWithTheDirectoriesBetween() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("b/c/deep.txt", bytes("deep"));
    files.put("index.html", bytes("<h1>hi</h1>"));
    files.put("a.css", bytes("a{}"));
    OciImage.Layer layer = TarLayer.of("/site", files);

    List<TarArchiveEntry> entries = read(layer.blob());
    assertThat(entries)
        .extracting(TarArchiveEntry::getName)
        .containsExactly(
            "site/a.css", "site/b/", "site/b/c/", "site/b/c/deep.txt", "site/index.html");
    for (TarArchiveEntry entry : entries) {
      assertThat(entry.getMode() & 07777).isEqualTo(entry.isDirectory() ? 0555 : 0444);
      assertThat(entry.getLongUserId()).isZero();
      assertThat(entry.getLongGroupId()).isZero();
      assertThat(entry.getUserName()).isEmpty();
      assertThat(entry.getLastModifiedTime().toMillis()).isZero();
      assertThat(entry.getExtraPaxHeaders()).isEmpty();
    }
    assertThat(entries.get(3).getSize()).isEqualTo(4);
  }

  @Test
  void theSameFilesGiveTheSameBytesWhateverTheirOrder() {
    Map<String, byte[]> one = new LinkedHashMap<>();
    one.put("x.txt", bytes("x"));
    one.put("y.txt", bytes("y"));
    Map<String, byte[]> other = new LinkedHashMap<>();
    other.put("y.txt", bytes("y"));
    other.put("x.txt", bytes("x"));
    assertThat(TarLayer.of("/site", one).blob()).isEqualTo(TarLayer.of("/site", other).blob());
    assertThat(TarLayer.of("/site", one).digest())
        .isNotEqualTo(TarLayer.of("/site", Map.of("x.txt", bytes("X"))).digest());
  }

  @Test
  void longNamesKeepTheirFullPath() throws Exception {
    String name = "d/".repeat(60) + "file.txt";
    List<TarArchiveEntry> entries = read(TarLayer.of("/site", Map.of(name, bytes("long"))).blob());
    assertThat(entries.get(entries.size() - 1).getName()).isEqualTo("site/" + name);
  }

  @Test
  void namesAreUtf8WhateverTheLocale() throws Exception {
    List<TarArchiveEntry> entries =
        read(TarLayer.of("/site", Map.of("café/naïve.html", bytes("ok"))).blob());
    assertThat(entries)
        .extracting(TarArchiveEntry::getName)
        .containsExactly("site/café/", "site/café/naïve.html");
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<TarArchiveEntry> read(byte[] gz) throws Exception {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (var tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(gz)), "UTF-8")) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.add(e);
      }
    }
    return entries;
  }
}
