package dev.tinystatic.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.JibContainer;
import dev.tinystatic.server.ServerBinary.Arch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scratch image as Jib writes it: config, one reproducible layer. Read straight from the tar. */
class ServerImageTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theGenericImage(@TempDir Path dir) throws Exception {
        Path tar = dir.resolve("image.tar");
        JibContainer image = ServerImage.writeTar(ServerImage.builder(Arch.AMD64, dir.resolve("w")), tar,
                "tinystatic/server:test", dir.resolve("cache"));
        Map<String, byte[]> entries = untar(Files.readAllBytes(tar));
        JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
        assertThat(manifest.get("RepoTags").get(0).asText()).isEqualTo("tinystatic/server:test");
        assertThat(manifest.get("Layers")).hasSize(1);

        JsonNode config = JSON.readTree(entries.get(manifest.get("Config").asText()));
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.get("created").asText()).isEqualTo("1970-01-01T00:00:00Z");
        JsonNode c = config.get("config");
        assertThat(c.get("User").asText()).isEqualTo("65532:65532");
        assertThat(c.get("Entrypoint").toString()).isEqualTo("[\"/tinyhttpd\"]");
        assertThat(c.get("Cmd").toString()).isEqualTo("[\"-p\",\"8080\",\"-d\",\"/site\"]");
        assertThat(c.get("ExposedPorts").has("8080/tcp")).isTrue();

        Map<String, TarEntry> layer = untarEntries(gunzip(entries.get(manifest.get("Layers").get(0).asText())));
        assertThat(layer.keySet()).containsExactlyInAnyOrder("site/", "tinyhttpd");
        assertThat(layer.get("tinyhttpd").mode()).isEqualTo(0555);
        assertThat(layer.get("tinyhttpd").uid()).isZero();
        assertThat(layer.get("tinyhttpd").data()).isEqualTo(ServerBinary.bytes(Arch.AMD64));
        assertThat(layer.get("site/").mode()).isEqualTo(0555);

        // the same inputs give the same image, byte for byte
        Path again = dir.resolve("again.tar");
        JibContainer second = ServerImage.writeTar(ServerImage.builder(Arch.AMD64, dir.resolve("w2")), again,
                "tinystatic/server:test", dir.resolve("cache2"));
        assertThat(second.getDigest()).isEqualTo(image.getDigest());
        assertThat(second.getImageId()).isEqualTo(image.getImageId());
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(tar));
    }

    @Test
    void theDefaultReferenceComesFromTheBuild() {
        assertThat(ServerImage.defaultImageReference()).matches("tinystatic/server:\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void arm64ImagesDeclareTheirPlatform(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ServerBinary.isAvailable(Arch.ARM64), "no arm64 binary in this build");
        Path tar = dir.resolve("arm.tar");
        ServerImage.writeTar(ServerImage.builder(Arch.ARM64, dir.resolve("w")), tar, "tinystatic/server:arm", dir.resolve("c"));
        Map<String, byte[]> entries = untar(Files.readAllBytes(tar));
        JsonNode manifest = JSON.readTree(entries.get("manifest.json")).get(0);
        JsonNode config = JSON.readTree(entries.get(manifest.get("Config").asText()));
        assertThat(config.get("architecture").asText()).isEqualTo("arm64");
    }

    record TarEntry(int mode, int uid, byte[] data) {
    }

    static Map<String, byte[]> untar(byte[] tar) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        untarEntries(tar).forEach((k, v) -> out.put(k, v.data()));
        return out;
    }

    /** A minimal ustar reader (names up to 100 bytes are all these tars hold), skipping PAX headers. */
    static Map<String, TarEntry> untarEntries(byte[] tar) {
        Map<String, TarEntry> out = new LinkedHashMap<>();
        for (int off = 0; off + 512 <= tar.length && tar[off] != 0; ) {
            String name = field(tar, off, 100);
            int mode = (int) Long.parseLong(field(tar, off + 100, 8).trim(), 8) & 07777;
            int uid = (int) Long.parseLong(field(tar, off + 108, 8).trim(), 8);
            int size = (int) Long.parseLong(field(tar, off + 124, 12).trim(), 8);
            byte[] data = java.util.Arrays.copyOfRange(tar, off + 512, off + 512 + size);
            if (tar[off + 156] != 'x' && tar[off + 156] != 'g') {   // PAX headers describe the next entry
                out.put(name, new TarEntry(mode, uid, data));
            }
            off += 512 + (size + 511) / 512 * 512;
        }
        return out;
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
