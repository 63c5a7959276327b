package dev.tinystatic.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteFile;
import dev.tinystatic.server.OciIndex;
import dev.tinystatic.server.ServerBinary;
import dev.tinystatic.server.ServerBinary.Arch;
import dev.tinystatic.server.ServerImage;
import dev.tinystatic.testing.LocalRegistry;
import dev.tinystatic.testing.RegistryProxy;
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
      "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json";

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
  void pushesAnIndexWhosePlatformImagesReadBackExactly() throws Exception {
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

    assertThat(baked.digest()).isEqualTo(image.index().digest().toString());
    assertThat(baked.pullReference())
        .isEqualTo(registry.address() + "/sites/web/hello@" + baked.digest());
    var response = registry.get("/v2/sites/web/hello/manifests/" + baked.digest(), MANIFEST_TYPES);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode index = JSON.readTree(response.body());
    assertThat(index.get("mediaType").asText()).isEqualTo(OciIndex.MEDIA_TYPE);
    assertThat(index.get("annotations").get(SiteImage.CONTENT_HASH_ANNOTATION).asText())
        .isEqualTo(image.content().hash());
    assertThat(index.get("manifests")).hasSize(ServerImage.platforms().size());
    assertThat(baked.platforms()).hasSize(ServerImage.platforms().size());

    String contentLayer = null;
    for (int i = 0; i < ServerImage.platforms().size(); i++) {
      Arch arch = ServerImage.platforms().get(i);
      JsonNode descriptor = index.get("manifests").get(i);
      assertThat(descriptor.at("/platform/architecture").asText()).isEqualTo(arch.goArch());
      JsonNode manifest = manifest(descriptor.get("digest").asText());
      BakedImage.Platform platform = baked.platforms().get(i);
      assertThat(platform.platform()).isEqualTo(arch.platform());
      assertThat(platform.digest()).isEqualTo(descriptor.get("digest").asText());
      assertThat(platform.bytes())
          .isEqualTo(
              manifest.at("/config/size").asLong()
                  + manifest.at("/layers/0/size").asLong()
                  + manifest.at("/layers/1/size").asLong());
      assertThat(platform.layerBytes())
          .containsExactly(
              manifest.at("/layers/0/size").asLong(), manifest.at("/layers/1/size").asLong());

      JsonNode config = JSON.readTree(blob(manifest.at("/config/digest").asText()));
      assertThat(config.get("architecture").asText()).isEqualTo(arch.goArch());
      assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
      assertThat(config.at("/config/Entrypoint").toString()).isEqualTo("[\"/tinyhttpd\"]");
      assertThat(config.at("/config/Cmd").toString())
          .as("/site is the default; the headers file beside it")
          .isEqualTo("[\"-p\",\"8081\",\"-m\",\"/tinystatic/headers\"]");
      assertThat(config.at("/config").has("Labels"))
          .as("the content hash is in the index, which a node keeps no copy of")
          .isFalse();
      assertThat(config.has("created"))
          .as("no time: the same files give the same digest")
          .isFalse();

      assertThat(blob(manifest.at("/layers/0/digest").asText()))
          .as("the build's server layer, byte for byte")
          .isEqualTo(ServerBinary.layer(arch));
      if (contentLayer == null) {
        contentLayer = manifest.at("/layers/1/digest").asText();
      }
      assertThat(manifest.at("/layers/1/digest").asText())
          .as("one content layer for every platform")
          .isEqualTo(contentLayer);
    }
    assertThat(baked.bytes())
        .isEqualTo(
            baked.platforms().stream().mapToLong(BakedImage.Platform::bytes).max().orElseThrow());

    Map<String, byte[]> files = files(blob(contentLayer));
    assertThat(files.keySet())
        .as("named from ./ to hold the docroot and the headers file beside it")
        .containsExactlyInAnyOrder(
            "./site/index.html",
            "./site/index.html.gz",
            "./site/img/logo.png",
            "./tinystatic/headers");
    assertThat(new String(files.get("./tinystatic/headers")))
        .isEqualTo(image.content().serving().headersText());
    assertThat(new String(files.get("./site/index.html"))).isEqualTo(page);
    assertThat(
            new String(
                new GZIPInputStream(new ByteArrayInputStream(files.get("./site/index.html.gz")))
                    .readAllBytes()))
        .isEqualTo(page);
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
    assertThat(edited.platforms().get(0).layerBytes().get(0))
        .as("the server layer is shared")
        .isEqualTo(first.platforms().get(0).layerBytes().get(0));
    assertThat(edited.uploadedBytes())
        .as("an edit uploads no server layer")
        .isLessThan(first.platforms().get(0).layerBytes().get(0));
  }

  @Test
  void aRegistryThatSaysNotFoundAsHarborDoesStillGetsTheImage() throws Exception {
    try (var harbor = RegistryProxy.harborStyle(registry.address())) {
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

  private static JsonNode manifest(String digest) throws Exception {
    var response = registry.get("/v2/sites/web/hello/manifests/" + digest, MANIFEST_TYPES);
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
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
