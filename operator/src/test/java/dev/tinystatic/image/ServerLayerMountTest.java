package dev.tinystatic.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.server.OciImage;
import dev.tinystatic.server.OciIndex;
import dev.tinystatic.server.ServerImage;
import dev.tinystatic.testing.LocalRegistry;
import dev.tinystatic.testing.RegistryProxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Site repositories get the server layers by cross-repository blob mount from {@code
 * PREFIX/tinystatic-server}, not by upload: counted in the real registry's access log.
 */
class ServerLayerMountTest {

  static final String TYPES = OciIndex.MEDIA_TYPE + ", application/vnd.oci.image.manifest.v1+json";

  @TempDir Path dir;

  @Test
  void newSiteRepositoriesMountTheServerLayersInsteadOfUploadingThem() throws Exception {
    try (var registry = LocalRegistry.start(dir.resolve("registry"))) {
      var baker = new SiteImageBaker(config(registry.address() + "/sites"));
      List<String> serverLayers = serverLayerDigests();

      BakedImage first = bake(baker, registry.address() + "/sites/web/first", "first");
      BakedImage second = bake(baker, registry.address() + "/sites/web/second", "second");

      // the server image went once to the server repository, the only upload of its layers
      OciIndex server = ServerImage.generic();
      assertThat(
              registry
                  .get("/v2/sites/tinystatic-server/manifests/" + server.digest(), TYPES)
                  .statusCode())
          .isEqualTo(200);
      assertThat(registry.blobUploads("sites/tinystatic-server")).containsAll(serverLayers);
      for (String site : List.of("first", "second")) {
        String repository = "sites/web/" + site;
        assertThat(registry.blobMounts(repository))
            .as(site + ": the server layers are mounted")
            .containsExactlyInAnyOrderElementsOf(serverLayers);
        assertThat(registry.blobUploads(repository))
            .as(site + ": no server layer is uploaded")
            .doesNotContainAnyElementsOf(serverLayers)
            .isNotEmpty();
        for (String layer : serverLayers) {
          assertThat(registry.get("/v2/" + repository + "/blobs/" + layer, null).statusCode())
              .as("a node pulls the mounted layer from the site's repository")
              .isEqualTo(200);
        }
      }
      assertThat(second.uploadedBytes())
          .as("content layer, configs, manifests and index: nothing of the server")
          .isEqualTo(withoutServerLayers(image("second").index()));
      assertThat(first.uploadedBytes()).isEqualTo(withoutServerLayers(image("first").index()));
    }
  }

  @Test
  void aRegistryThatRefusesTheMountGetsTheServerLayersUploaded() throws Exception {
    try (var registry = LocalRegistry.start(dir.resolve("registry"));
        var proxy = RegistryProxy.withoutMounts(registry.address())) {
      var baker = new SiteImageBaker(config(proxy.address() + "/sites"));
      BakedImage baked = bake(baker, proxy.address() + "/sites/web/refused", "refused");

      List<String> serverLayers = serverLayerDigests();
      assertThat(registry.blobMounts("sites/web/refused")).isEmpty();
      assertThat(registry.blobUploads("sites/web/refused")).containsAll(serverLayers);
      assertThat(baked.uploadedBytes())
          .isEqualTo(
              withoutServerLayers(image("refused").index())
                  + ServerImage.platforms().stream()
                      .mapToLong(a -> ServerImage.serverLayer(a).blob().length)
                      .sum());
      assertThat(
              registry.get("/v2/sites/web/refused/manifests/" + baked.digest(), TYPES).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aServerRepositoryThePushMayNotWriteLeavesEachSiteUploadingItsOwn() throws Exception {
    try (var registry = LocalRegistry.start(dir.resolve("registry"));
        var proxy = RegistryProxy.readOnly(registry.address(), "sites/tinystatic-server")) {
      var baker = new SiteImageBaker(config(proxy.address() + "/sites"));
      BakedImage baked = bake(baker, proxy.address() + "/sites/web/own", "own");

      assertThat(
              registry
                  .get(
                      "/v2/sites/tinystatic-server/manifests/" + ServerImage.generic().digest(),
                      TYPES)
                  .statusCode())
          .as("the seed was refused")
          .isEqualTo(404);
      assertThat(registry.blobMounts("sites/web/own")).isEmpty();
      assertThat(registry.blobUploads("sites/web/own")).containsAll(serverLayerDigests());
      assertThat(registry.get("/v2/sites/web/own/manifests/" + baked.digest(), TYPES).statusCode())
          .isEqualTo(200);
    }
  }

  private static RegistryConfig config(String prefix) {
    return new RegistryConfig(prefix, Optional.empty(), true, Optional.empty());
  }

  private static SiteImage image(String name) {
    return new SiteImage(
        "web/" + name,
        SiteImageBakerTest.content(Map.of("index.html", "<h1>" + name + "</h1>")),
        8080);
  }

  private static BakedImage bake(SiteImageBaker baker, String repository, String name)
      throws Exception {
    return baker.bake(image(name), repository, Optional.empty(), repository, Optional.empty());
  }

  private static List<String> serverLayerDigests() {
    return ServerImage.platforms().stream()
        .map(a -> ServerImage.serverLayer(a).digest().toString())
        .toList();
  }

  /** The bytes of {@code index} but its server layers: content layer once, configs, manifests. */
  private static long withoutServerLayers(OciIndex index) {
    long bytes = index.bytes().length;
    for (OciImage image : index.images()) {
      bytes += image.config().length + image.manifestBytes().length;
    }
    return bytes + index.images().get(0).layers().get(1).blob().length;
  }
}
