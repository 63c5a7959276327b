package dev.tinystatic.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteFile;
import dev.tinystatic.server.ServerBinary;
import dev.tinystatic.testing.HarborStyleProxy;
import dev.tinystatic.testing.LocalRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baker against a real registry: what it pushes, read back blob by blob. */
class SiteImageBakerTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String MANIFEST_TYPES =
      "application/vnd.docker.distribution.manifest.v2+json,"
          + " application/vnd.oci.image.manifest.v1+json";

  @TempDir static Path dir;
  static LocalRegistry registry;
  static SiteImageBaker baker;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = LocalRegistry.start(dir.resolve("registry"));
    baker =
        new SiteImageBaker(
            new RegistryConfig(
                registry.address() + "/sites", Optional.empty(), true, Optional.empty()));
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void pushesServerAndContentLayersThatReadBackExactly() throws Exception {
    String page = "<!doctype html><title>Hi</title>" + "<p>hello, static world</p>".repeat(20);
    var image =
        new SiteImage(
            "web/hello", content(Map.of("index.html", page, "img/logo.png", "PNG-not-text")), 8081);

    BakedImage baked =
        baker.bake(
            image,
            registry.address() + "/sites/web/hello",
            Optional.empty(),
            registry.address() + "/sites/web/hello",
            Optional.empty());

    assertThat(baked.digest()).matches("sha256:[0-9a-f]{64}");
    assertThat(baked.pullReference())
        .isEqualTo(registry.address() + "/sites/web/hello@" + baked.digest());
    assertThat(baked.layerBytes()).hasSize(2);
    JsonNode manifest =
        JSON.readTree(
            registry.get("/v2/sites/web/hello/manifests/" + baked.digest(), MANIFEST_TYPES).body());
    assertThat(baked.bytes())
        .isEqualTo(
            manifest.at("/config/size").asLong()
                + manifest.at("/layers/0/size").asLong()
                + manifest.at("/layers/1/size").asLong());

    JsonNode config = JSON.readTree(blob(manifest.at("/config/digest").asText()));
    assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
    assertThat(config.at("/config/Entrypoint").toString()).isEqualTo("[\"/tinyhttpd\"]");
    assertThat(config.at("/config/Cmd").toString())
        .as("/site is the default")
        .isEqualTo("[\"-p\",\"8081\"]");
    assertThat(config.at("/config/ExposedPorts").has("8081/tcp")).isTrue();
    assertThat(config.at("/config/Labels/dev.tinystatic.site").asText()).isEqualTo("web/hello");
    assertThat(config.at("/config/Labels/dev.tinystatic.content-hash").asText())
        .isEqualTo(image.content().hash());
    assertThat(config.has("created")).as("no time: the same files give the same digest").isFalse();
    assertThat(config.at("/config").has("Env")).isFalse();

    Map<String, byte[]> serverLayer = files(blob(manifest.at("/layers/0/digest").asText()));
    assertThat(serverLayer).containsKey("tinyhttpd");
    assertThat(blob(manifest.at("/layers/0/digest").asText()))
        .as("the build's server layer, byte for byte")
        .isEqualTo(ServerBinary.layer(ServerBinary.Arch.AMD64));
    Map<String, byte[]> contentLayer = files(blob(manifest.at("/layers/1/digest").asText()));
    assertThat(contentLayer.keySet())
        .containsExactlyInAnyOrder("site/index.html", "site/index.html.gz", "site/img/logo.png");
    assertThat(new String(contentLayer.get("site/index.html"))).isEqualTo(page);
    assertThat(
            new String(
                new GZIPInputStream(
                        new ByteArrayInputStream(contentLayer.get("site/index.html.gz")))
                    .readAllBytes()))
        .isEqualTo(page);
    assertThat(manifest.at("/layers/1/size").asLong()).isEqualTo(baked.layerBytes().get(1));
  }

  @Test
  void theSameSiteBakesTheSameDigestAndIsNotPushedTwice() throws Exception {
    var image = new SiteImage("web/twice", content(Map.of("index.html", "same")), 8080);
    BakedImage first =
        baker.bake(image, repo("twice"), Optional.empty(), repo("twice"), Optional.empty());
    BakedImage again =
        baker.bake(
            new SiteImage("web/twice", content(Map.of("index.html", "same")), 8080),
            repo("twice"),
            Optional.empty(),
            repo("twice"),
            Optional.empty());
    assertThat(again.digest()).isEqualTo(first.digest());
    assertThat(first.pushed()).isTrue();
    assertThat(again.pushed()).as("the registry already has it").isFalse();

    BakedImage edited =
        baker.bake(
            new SiteImage("web/twice", content(Map.of("index.html", "sane")), 8080),
            repo("twice"),
            Optional.empty(),
            repo("twice"),
            Optional.empty());
    assertThat(edited.digest()).isNotEqualTo(first.digest());
    assertThat(edited.layerBytes().get(0))
        .as("the server layer is shared")
        .isEqualTo(first.layerBytes().get(0));
  }

  @Test
  void aRegistryThatSaysNotFoundAsHarborDoesStillGetsTheImage() throws Exception {
    try (var harbor = HarborStyleProxy.in(registry.address())) {
      var baker = new SiteImageBaker(harbor.address(), true);
      String repository = harbor.address() + "/sites/web/harbor";
      var image =
          new SiteImage(
              "web/harbor", content(Map.of("index.html", "via a Harbor-style registry")), 8080);
      BakedImage first =
          baker.bake(image, repository, Optional.empty(), repository, Optional.empty());
      BakedImage again =
          baker.bake(image, repository, Optional.empty(), repository, Optional.empty());
      assertThat(first.pushed()).isTrue();
      assertThat(again.pushed()).isFalse();
      assertThat(
              registry
                  .get("/v2/sites/web/harbor/manifests/" + first.digest(), MANIFEST_TYPES)
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void anUnreachableRegistryIsNamedInTheError() {
    var nowhere =
        new SiteImageBaker(
            new RegistryConfig("127.0.0.1:1/sites", Optional.empty(), true, Optional.empty()));
    assertThatThrownBy(
            () ->
                nowhere.bake(
                    new SiteImage("web/x", content(Map.of("a.html", "a")), 8080),
                    "127.0.0.1:1/sites/web/x",
                    Optional.empty(),
                    "127.0.0.1:1/sites/web/x",
                    Optional.empty()))
        .isInstanceOf(SiteImageBaker.BakeException.class)
        .hasMessageStartingWith("registry 127.0.0.1:1: ");
  }

  private static String repo(String site) {
    return registry.address() + "/sites/web/" + site;
  }

  private static byte[] blob(String digest) throws Exception {
    var response = registry.get("/v2/sites/web/hello/blobs/" + digest, null);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  static Map<String, byte[]> files(byte[] gzippedTar) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    try (var tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(gzippedTar)))) {
      for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        if (entry.isFile()) {
          files.put(entry.getName(), tar.readAllBytes());
        }
      }
    }
    return files;
  }

  static SiteContent content(Map<String, String> files) {
    return new SiteContent(
        files.entrySet().stream().map(e -> SiteFile.text(e.getKey(), e.getValue())).toList(),
        Optional.empty());
  }
}
