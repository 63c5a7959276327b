package dev.tinystatic.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Credential;
import dev.tinystatic.server.OciImage;
import dev.tinystatic.server.OciIndex;
import dev.tinystatic.testing.LocalRegistry;
import dev.tinystatic.testing.RegistryProxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Site images deleted from real registries: with deletes enabled, disabled, behind passwords. */
class RegistryCleanupTest {

  static final String TYPES = OciIndex.MEDIA_TYPE + ", application/vnd.oci.image.manifest.v1+json";
  static final Optional<Credential> TESTER =
      Optional.of(Credential.from(LocalRegistry.USER, LocalRegistry.PASSWORD));

  @TempDir Path dir;

  @Test
  void deletesTheIndexAndItsPlatformManifestsAndNothingElse() throws Exception {
    try (var registry = LocalRegistry.start(dir.resolve("registry"))) {
      String repository = registry.address() + "/sites/web/old";
      SiteImage old = image("old");
      SiteImage kept = image("kept");
      BakedImage gone = bake(registry.address(), repository, old, Optional.empty());
      BakedImage stays = bake(registry.address(), repository, kept, Optional.empty());
      var cleanup = new RegistryCleanup(registry.address(), true);
      assertThat(cleanup.tags(repository, Optional.empty()))
          .containsExactlyInAnyOrder(SiteImageBaker.tagOf(old), SiteImageBaker.tagOf(kept));

      var outcome = cleanup.delete(repository, gone.digest(), Optional.empty());

      List<String> expected = new ArrayList<>();
      old.index().images().forEach(i -> expected.add(i.digest().toString()));
      expected.add(gone.digest());
      assertThat(outcome).isEqualTo(new RegistryCleanup.Deleted(expected));
      for (String digest : expected) {
        assertThat(status(registry, "sites/web/old", digest)).as(digest).isEqualTo(404);
      }
      assertThat(cleanup.tags(repository, Optional.empty()))
          .as("the tag went with the index")
          .containsExactly(SiteImageBaker.tagOf(kept));
      assertThat(status(registry, "sites/web/old", stays.digest())).isEqualTo(200);
      for (OciImage platform : kept.index().images()) {
        assertThat(status(registry, "sites/web/old", platform.digest().toString())).isEqualTo(200);
      }

      assertThat(cleanup.delete(repository, gone.digest(), Optional.empty()))
          .as("a second clean-up finds nothing to do")
          .isEqualTo(new RegistryCleanup.AlreadyGone());
      assertThat(cleanup.tags(registry.address() + "/sites/web/never", Optional.empty())).isEmpty();
    }
  }

  @Test
  void aCleanUpCutShortIsFinishedByTheNext() throws Exception {
    try (var registry = LocalRegistry.start(dir.resolve("registry"))) {
      String repository = registry.address() + "/sites/web/half";
      BakedImage baked = bake(registry.address(), repository, image("half"), Optional.empty());
      var cleanup = new RegistryCleanup(registry.address(), true);
      // as if a first clean-up stopped after the first platform manifest
      String first = baked.platforms().get(0).digest();
      assertThat(cleanup.delete(repository, first, Optional.empty()))
          .isEqualTo(new RegistryCleanup.Deleted(List.of(first)));

      var outcome = cleanup.delete(repository, baked.digest(), Optional.empty());

      assertThat(outcome).isInstanceOf(RegistryCleanup.Deleted.class);
      assertThat(((RegistryCleanup.Deleted) outcome).digests())
          .doesNotContain(first)
          .endsWith(baked.digest());
      assertThat(status(registry, "sites/web/half", baked.digest())).isEqualTo(404);
    }
  }

  @Test
  void aRegistryWithDeletesDisabledIsAnAnswerNotAFailure() throws Exception {
    try (var registry = LocalRegistry.startWithoutDeletes(dir.resolve("registry"))) {
      String repository = registry.address() + "/sites/web/kept";
      BakedImage baked = bake(registry.address(), repository, image("kept"), Optional.empty());

      var outcome =
          new RegistryCleanup(registry.address(), true)
              .delete(repository, baked.digest(), Optional.empty());

      assertThat(outcome).isInstanceOf(RegistryCleanup.DeletesDisabled.class);
      assertThat(((RegistryCleanup.DeletesDisabled) outcome).message())
          .isEqualTo(
              "registry "
                  + registry.address()
                  + " does not allow deleting images (405 UNSUPPORTED); enable deletes there"
                  + " (distribution: storage.delete.enabled: true)");
      assertThat(status(registry, "sites/web/kept", baked.digest())).isEqualTo(200);
    }
  }

  @Test
  void aRegistryWithAPasswordNeedsIt() throws Exception {
    try (var registry = LocalRegistry.startWithPassword(dir.resolve("registry"))) {
      String repository = registry.address() + "/sites/web/secret";
      BakedImage baked = bake(registry.address(), repository, image("secret"), TESTER);
      var cleanup = new RegistryCleanup(registry.address(), true);

      assertThatThrownBy(() -> cleanup.delete(repository, baked.digest(), Optional.empty()))
          .isInstanceOf(RegistryCleanup.CleanupException.class)
          .hasMessage(
              "registry "
                  + registry.address()
                  + ": it asks for credentials (Basic) and none are configured");
      assertThatThrownBy(
              () ->
                  cleanup.delete(
                      repository, baked.digest(), Optional.of(Credential.from("tester", "no"))))
          .isInstanceOf(RegistryCleanup.CleanupException.class)
          .hasMessageContaining("answered 401 UNAUTHORIZED");
      assertThat(cleanup.delete(repository, baked.digest(), TESTER))
          .isInstanceOf(RegistryCleanup.Deleted.class);
      assertThat(status(registry, "sites/web/secret", baked.digest())).isEqualTo(404);
    }
  }

  @Test
  void aTokenRegistryGetsATokenForTheDelete() throws Exception {
    try (var registry = LocalRegistry.start(dir.resolve("registry"));
        var tokens = RegistryProxy.withTokenAuth(registry.address())) {
      String repository = tokens.address() + "/sites/web/token";
      BakedImage baked = bake(tokens.address(), repository, image("token"), TESTER);
      var cleanup = new RegistryCleanup(tokens.address(), true);

      assertThat(cleanup.tags(repository, TESTER)).hasSize(1);
      assertThat(cleanup.delete(repository, baked.digest(), TESTER))
          .isInstanceOf(RegistryCleanup.Deleted.class);
      assertThat(status(registry, "sites/web/token", baked.digest())).isEqualTo(404);
      assertThatThrownBy(
              () ->
                  cleanup.delete(
                      repository, baked.digest(), Optional.of(Credential.from("tester", "no"))))
          .isInstanceOf(RegistryCleanup.CleanupException.class)
          .hasMessageContaining("its token service http://" + tokens.address() + "/token")
          .hasMessageContaining("answered 401 for repository:sites/web/token:pull,delete");
    }
  }

  @Test
  void anUnreachableRegistryIsAFailureNamingIt() {
    assertThatThrownBy(
            () ->
                new RegistryCleanup("127.0.0.1:1", true)
                    .delete(
                        "127.0.0.1:1/sites/web/x", "sha256:" + "0".repeat(64), Optional.empty()))
        .isInstanceOf(RegistryCleanup.CleanupException.class)
        .hasMessageStartingWith("registry 127.0.0.1:1: cannot connect");
  }

  private static SiteImage image(String name) {
    return new SiteImage(
        "web/" + name, SiteImageBakerTest.content(Map.of("index.html", "<p>" + name)), 8080);
  }

  private static BakedImage bake(
      String registry, String repository, SiteImage image, Optional<Credential> credential)
      throws Exception {
    return new SiteImageBaker(registry, true)
        .bake(image, repository, Optional.empty(), repository, credential);
  }

  private static int status(LocalRegistry registry, String repository, String digest)
      throws Exception {
    return registry.get("/v2/" + repository + "/manifests/" + digest, TYPES).statusCode();
  }
}
