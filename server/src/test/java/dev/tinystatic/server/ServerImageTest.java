package dev.tinystatic.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import dev.tinystatic.server.ServerBinary.Arch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scratch images as the archive holds them: config, layers, names; byte-for-byte reproducible.
 */
class ServerImageTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theGenericImage(@TempDir Path dir) throws Exception {
    Path tar = dir.resolve("image.tar");
    OciIndex index = ServerImage.generic();
    OciArchive.write(index, tar, "tinystatic/server:test");
    Map<String, byte[]> entries = untar(Files.readAllBytes(tar));
    assertThat(entries.keySet()).startsWith("oci-layout", "index.json", "manifest.json");

    // the OCI layout: index.json -> the image index -> a manifest per platform -> config and
    // layer, each blob named by its digest
    JsonNode entry = JSON.readTree(entries.get("index.json")).get("manifests").get(0);
    assertThat(entry.at("/annotations/org.opencontainers.image.ref.name").asText())
        .isEqualTo("docker.io/tinystatic/server:test");
    assertThat(entry.at("/annotations/io.containerd.image.name").asText())
        .isEqualTo("docker.io/tinystatic/server:test");
    assertThat(entry.get("mediaType").asText()).isEqualTo(OciIndex.MEDIA_TYPE);
    assertThat(entry.get("digest").asText()).isEqualTo(index.digest().toString());
    byte[] indexBlob = entries.get(blob(index.digest().toString()));
    assertThat(sha256(indexBlob)).isEqualTo(index.digest().toString());
    assertThat(entry.get("size").asInt()).isEqualTo(indexBlob.length);
    JsonNode platforms = JSON.readTree(indexBlob).get("manifests");
    assertThat(platforms).hasSize(ServerImage.platforms().size());
    assertThat(JSON.readTree(indexBlob).has("annotations")).isFalse();

    for (int i = 0; i < platforms.size(); i++) {
      Arch arch = ServerImage.platforms().get(i);
      JsonNode descriptor = platforms.get(i);
      assertThat(descriptor.at("/platform/architecture").asText()).isEqualTo(arch.goArch());
      assertThat(descriptor.at("/platform/os").asText()).isEqualTo("linux");
      byte[] manifestBlob = entries.get(blob(descriptor.get("digest").asText()));
      assertThat(descriptor.get("size").asInt()).isEqualTo(manifestBlob.length);
      JsonNode manifest = JSON.readTree(manifestBlob);
      assertThat(manifest.get("mediaType").asText())
          .isEqualTo("application/vnd.oci.image.manifest.v1+json");
      assertThat(manifest.get("layers")).hasSize(1);
      for (String digest :
          List.of(
              descriptor.get("digest").asText(),
              manifest.at("/config/digest").asText(),
              manifest.at("/layers/0/digest").asText())) {
        assertThat(sha256(entries.get(blob(digest)))).isEqualTo(digest);
      }

      JsonNode config = JSON.readTree(entries.get(blob(manifest.at("/config/digest").asText())));
      assertThat(config.get("architecture").asText()).isEqualTo(arch.goArch());
      assertThat(config.get("os").asText()).isEqualTo("linux");
      JsonNode c = config.get("config");
      assertThat(c.get("User").asText()).isEqualTo("65532:65532");
      assertThat(c.get("Entrypoint").toString()).isEqualTo("[\"/tinyhttpd\"]");
      assertThat(c.get("Cmd").toString()).isEqualTo("[\"-p\",\"8080\",\"-d\",\"/site\"]");
      assertThat(c.fieldNames())
          .toIterable()
          .as("nothing a runtime does not read")
          .containsExactly("Entrypoint", "Cmd", "User");
      assertThat(config.fieldNames())
          .toIterable()
          .containsExactly("architecture", "os", "config", "rootfs");

      byte[] layerBlob = entries.get(blob(manifest.at("/layers/0/digest").asText()));
      assertThat(layerBlob).isEqualTo(ServerBinary.layer(arch));
      byte[] layerTar = gunzip(layerBlob);
      assertThat(sha256(layerTar)).isEqualTo(config.at("/rootfs/diff_ids/0").asText());
      Map<String, TarEntry> layer = untarEntries(layerTar);
      assertThat(layer.keySet()).containsExactly("site/", "tinyhttpd");
      assertThat(layer.get("tinyhttpd").mode()).isEqualTo(0555);
      assertThat(layer.get("tinyhttpd").uid()).isZero();
      assertThat(layer.get("tinyhttpd").data()).isEqualTo(ServerBinary.bytes(arch));
      assertThat(layer.get("site/").mode()).isEqualTo(0555);
      assertThat(countPaxHeaders(layerTar)).isZero();
      // its numeric fields hold only what is not 0 (ustar.py): a real reader sees 0:0, time 0
      try (var in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(layerTar))) {
        for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
          assertThat(List.of(e.getLongUserId(), e.getLongGroupId(), e.getModTime().getTime()))
              .as(e.getName())
              .containsOnly(0L);
          assertThat(e.getMode()).as(e.getName()).isEqualTo(0555);
        }
      }
      // zopfli at build time: smaller than the best Java's deflater does with the same tar
      assertThat(layerBlob.length).isLessThan(BestGzip.gzip(layerTar).length);
    }

    // Docker's manifest.json names the first platform's blobs (it has no platforms)
    OciImage first = index.images().get(0);
    assertThat(first.arch()).isEqualTo(Arch.AMD64);
    JsonNode docker = JSON.readTree(entries.get("manifest.json"));
    assertThat(docker).hasSize(1);
    assertThat(docker.at("/0/RepoTags/0").asText()).isEqualTo("tinystatic/server:test");
    assertThat(docker.at("/0/Config").asText()).isEqualTo(blob(first.configDigest().toString()));
    assertThat(docker.at("/0/Layers/0").asText())
        .isEqualTo(blob(first.layers().get(0).digest().toString()));

    assertThat(entries.keySet())
        .as("every blob once")
        .hasSize(3 + 1 + 3 * ServerImage.platforms().size());
    assertThat(java.nio.file.Files.getPosixFilePermissions(tar))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

    // the same inputs give the same image, byte for byte
    Path again = dir.resolve("again.tar");
    OciArchive.write(ServerImage.generic(), again, "tinystatic/server:test");
    assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(tar));
  }

  @Test
  void aSiteImageSharesLayerOneAndNamesOnlyAnOtherPort() throws Exception {
    OciImage.Layer content =
        TarLayer.of("/site", Map.of("index.html", "hi".getBytes(StandardCharsets.UTF_8)));
    OciImage site = ServerImage.withContent(Arch.AMD64, content, 9090);
    assertThat(site.layers().get(0).digest())
        .isEqualTo(ServerImage.generic(Arch.AMD64).layers().get(0).digest());
    JsonNode config = JSON.readTree(site.config());
    assertThat(config.at("/config/Cmd").toString()).isEqualTo("[\"-p\",\"9090\"]");
    assertThat(config.at("/rootfs/diff_ids")).hasSize(2);
    assertThat(site.size())
        .isEqualTo(site.config().length + site.layerSizes().get(0) + site.layerSizes().get(1));

    OciImage onDefaultPort = ServerImage.withContent(Arch.AMD64, content, 8080);
    assertThat(JSON.readTree(onDefaultPort.config()).at("/config").has("Cmd"))
        .as("tinyhttpd's defaults are -p 8080 -d /site")
        .isFalse();
    assertThat(onDefaultPort.digest())
        .isEqualTo(ServerImage.withContent(Arch.AMD64, content, 8080).digest());
  }

  @Test
  void aSiteIndexListsItsPlatformsOverOneContentLayerAndCarriesTheAnnotations() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ServerBinary.isAvailable(Arch.ARM64), "no arm64 binary in this build");
    OciImage.Layer content =
        TarLayer.of("/site", Map.of("index.html", "hi".getBytes(StandardCharsets.UTF_8)));
    OciIndex index =
        ServerImage.withContent(
            List.of(Arch.ARM64, Arch.AMD64), content, 8080, Map.of("b", "2", "a", "1"));
    JsonNode json = JSON.readTree(index.bytes());
    assertThat(json.get("mediaType").asText()).isEqualTo(OciIndex.MEDIA_TYPE);
    assertThat(json.at("/manifests/0/platform/architecture").asText()).isEqualTo("arm64");
    assertThat(json.at("/manifests/1/platform/architecture").asText()).isEqualTo("amd64");
    assertThat(json.at("/annotations").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
    assertThat(index.image(Arch.ARM64).orElseThrow().layers().get(1))
        .isSameAs(index.image(Arch.AMD64).orElseThrow().layers().get(1));
    assertThat(index.digest().toString()).isEqualTo(sha256(index.bytes()));
    assertThat(JsonTemplateMapper.toByteArray(index.template()))
        .as("what Jib's client pushes is what was digested")
        .isEqualTo(index.bytes());

    assertThat(
            ServerImage.withContent(List.of(Arch.ARM64, Arch.AMD64), content, 8080, Map.of())
                .digest())
        .as("annotations are part of the index")
        .isNotEqualTo(index.digest());
    assertThatThrownBy(
            () ->
                OciIndex.of(
                    List.of(ServerImage.generic(Arch.AMD64), ServerImage.generic(Arch.AMD64)),
                    Map.of()))
        .hasMessageContaining("two images for linux/amd64");
  }

  @Test
  void platformsAreNamedAsOciNamesThem() {
    assertThat(Arch.ofPlatform("linux/arm64")).isEqualTo(Arch.ARM64);
    assertThat(Arch.ofPlatform("linux/arm64/v8")).isEqualTo(Arch.ARM64);
    assertThat(Arch.ofPlatform("amd64")).isEqualTo(Arch.AMD64);
    assertThat(Arch.AMD64.platform()).isEqualTo("linux/amd64");
    assertThatThrownBy(() -> Arch.ofPlatform("windows/amd64"))
        .hasMessageContaining("unsupported platform: windows/amd64");
    assertThatThrownBy(() -> Arch.ofPlatform("linux/s390x"))
        .hasMessageContaining("unsupported architecture: s390x");
  }

  @Test
  void anArchiveGoesStraightToAPipe(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    var read =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return Files.readAllBytes(fifo);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    OciArchive.write(ServerImage.generic(), fifo, "tinystatic/server:pipe");
    Path file = dir.resolve("file.tar");
    OciArchive.write(ServerImage.generic(), file, "tinystatic/server:pipe");
    assertThat(read.get(20, java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(Files.readAllBytes(file));
    assertThat(Files.isRegularFile(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .as("still the pipe")
        .isFalse();
  }

  @Test
  void archivesNameImagesAsTheKubeletAsksForThem() {
    assertThat(OciArchive.qualified("tinystatic/server:1"))
        .isEqualTo("docker.io/tinystatic/server:1");
    assertThat(OciArchive.qualified("nginx:1")).isEqualTo("docker.io/library/nginx:1");
    assertThat(OciArchive.qualified("localhost/tinystatic/site:latest"))
        .isEqualTo("localhost/tinystatic/site:latest");
    assertThat(OciArchive.qualified("registry.example:5000/sites/web:x"))
        .isEqualTo("registry.example:5000/sites/web:x");
    assertThat(OciArchive.qualified("ghcr.io/a/b:c")).isEqualTo("ghcr.io/a/b:c");
  }

  @Test
  void theDefaultReferenceComesFromTheBuild() {
    assertThat(ServerImage.defaultImageReference())
        .matches("tinystatic/server:\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void arm64ImagesDeclareTheirPlatform() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ServerBinary.isAvailable(Arch.ARM64), "no arm64 binary in this build");
    OciImage arm = ServerImage.generic(Arch.ARM64);
    assertThat(JSON.readTree(arm.config()).get("architecture").asText()).isEqualTo("arm64");
    assertThat(untarEntries(gunzip(arm.layers().get(0).blob())).get("tinyhttpd").data())
        .isEqualTo(ServerBinary.bytes(Arch.ARM64));
  }

  static String blob(String digest) {
    return "blobs/sha256/" + digest.substring("sha256:".length());
  }

  static String sha256(byte[] bytes) throws Exception {
    return "sha256:"
        + java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static int countPaxHeaders(byte[] tar) {
    int count = 0;
    for (int off = 0; off + 512 <= tar.length && tar[off] != 0; ) {
      int size = (int) octal(tar, off + 124, 12);
      count += tar[off + 156] == 'x' || tar[off + 156] == 'g' ? 1 : 0;
      off += 512 + (size + 511) / 512 * 512;
    }
    return count;
  }

  record TarEntry(int mode, int uid, byte[] data) {}

  static Map<String, byte[]> untar(byte[] tar) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    untarEntries(tar).forEach((k, v) -> out.put(k, v.data()));
    return out;
  }

  /**
   * A minimal ustar reader (names up to 100 bytes are all these tars hold), skipping PAX headers.
   */
  static Map<String, TarEntry> untarEntries(byte[] tar) {
    Map<String, TarEntry> out = new LinkedHashMap<>();
    for (int off = 0; off + 512 <= tar.length && tar[off] != 0; ) {
      String name = field(tar, off, 100);
      int mode = (int) octal(tar, off + 100, 8) & 07777;
      int uid = (int) octal(tar, off + 108, 8);
      int size = (int) octal(tar, off + 124, 12);
      byte[] data = java.util.Arrays.copyOfRange(tar, off + 512, off + 512 + size);
      if (tar[off + 156] != 'x' && tar[off + 156] != 'g') { // PAX headers describe the next entry
        out.put(name, new TarEntry(mode, uid, data));
      }
      off += 512 + (size + 511) / 512 * 512;
    }
    return out;
  }

  /** A numeric field: octal digits, NUL- or space-ended; all NULs (layer 1 writes 0 so) is 0. */
  static long octal(byte[] b, int off, int len) {
    String digits = field(b, off, len).trim();
    return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
  }

  static String field(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.US_ASCII);
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
