package dev.tinystatic.mockapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.SiteRevision;
import dev.tinystatic.api.SiteRollout;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.server.OciIndex;
import dev.tinystatic.testing.FakeKubelet;
import dev.tinystatic.testing.LocalRegistry;
import dev.tinystatic.testing.MockCluster;
import dev.tinystatic.testing.Sites;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image delivery's registry clean-up, against Debian's real registry (deletes enabled, then
 * disabled) and the mock API server: an image that leaves status.revisions is deleted from the
 * registry after the site's grace period; a registry refusing deletes gets one Warning and a status
 * note, and no retry loop.
 */
class RegistryCleanupFlowTest extends MockApiTest {

  @TempDir Path dir;
  @AutoClose LocalRegistry registry;

  void start(LocalRegistry started) throws Exception {
    registry = started;
    ownCluster(
        MockCluster.start()
            .startOperator(
                MockCluster.imageDeliveryConfig(registry.address())
                    .withImageCleanupTimeout(CLEANUP_TIMEOUT)),
        "cleanup");
  }

  /** The operator's image clean-up timeout in these tests. */
  static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(4);

  @Test
  void anImageNoKeptRevisionUsesIsDeletedFromTheRegistry() throws Exception {
    start(LocalRegistry.start(dir.resolve("registry")));
    String first = liveImage(createAndServe("old"));

    String second = editAndServe("old", "two");
    assertThat(second).isNotEqualTo(first);

    await().atMost(TIMEOUT).until(() -> manifestStatus("old", first) == 404);
    assertThat(manifestStatus("old", second)).as("the live revision's image stays").isEqualTo(200);
    var status = site("old").get().getStatus();
    assertThat(status.getRevisions()).extracting(SiteRevision::getImage).containsExactly(second);
    assertThat(status.getRetiredImages()).isNull();
    assertThat(status.getRegistryCleanup()).isNull();
  }

  @Test
  void aRegistryWithDeletesDisabledGetsOneWarningAndAStatusNoteNotARetryLoop() throws Exception {
    start(LocalRegistry.startWithoutDeletes(dir.resolve("registry")));
    String first = liveImage(createAndServe("kept"));

    editAndServe("kept", "two");

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(site("kept").get().getStatus().getRegistryCleanup())
                    .contains("does not allow deleting images"));
    assertThat(
            client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "RegistryDeletesDisabled".equals(e.getReason()))
                .toList())
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    assertThat(site("kept").get().getStatus().getRetiredImages()).isNull();
    assertThat(manifestStatus("kept", first)).isEqualTo(200);
    long deletes = deleteRequests();
    assertThat(deletes).as("one refused DELETE").isEqualTo(1);
    // A spec change reconciles the site again: the refused image is not asked for again.
    edit("kept", spec -> spec.getRollout().setDrainSeconds(1));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                site("kept").get().getStatus().getObservedGeneration()
                    == site("kept").get().getMetadata().getGeneration());
    await().pollDelay(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> true);
    assertThat(deleteRequests()).isEqualTo(deletes);
  }

  @Test
  void deletingASiteDeletesItsImagesFromTheRegistryThenTheSiteGoes() throws Exception {
    start(LocalRegistry.start(dir.resolve("registry")));
    String first = liveImage(createAndServe("gone", 3600));
    String second = editAndServe("gone", "two");
    var status = site("gone").get().getStatus();
    assertThat(status.getRetiredImages())
        .as("the first image waits out its grace period")
        .extracting(r -> r.getImage())
        .containsExactly(first);
    assertThat(manifestStatus("gone", first)).isEqualTo(200);
    assertThat(site("gone").get().getMetadata().getFinalizers())
        .containsExactly("tinystatic.dev/registry-cleanup");

    site("gone").delete();

    await().atMost(TIMEOUT).until(() -> site("gone").get() == null);
    assertThat(manifestStatus("gone", first)).isEqualTo(404);
    assertThat(manifestStatus("gone", second)).isEqualTo(404);
  }

  @Test
  void aDeadRegistryHoldsADeletedSiteOnlyUntilTheTimeLimitThenAWarningNamesTheImagesLeft()
      throws Exception {
    start(LocalRegistry.start(dir.resolve("registry")));
    String image = liveImage(createAndServe("stranded", 0));
    registry.close(); // the registry dies

    site("stranded").delete();

    // Held by the finalizer while the operator retries ...
    await()
        .pollDelay(Duration.ofSeconds(1))
        .atMost(TIMEOUT)
        .until(() -> site("stranded").get() != null);
    assertThat(site("stranded").get().getMetadata().getDeletionTimestamp()).isNotNull();
    // ... and gone once the time limit has passed.
    await().atMost(TIMEOUT).until(() -> site("stranded").get() == null);
    assertThat(eventsOfReason("ImageCleanupFailed"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains(image).contains("cannot connect");
            });
  }

  @Test
  void aRegistryWithDeletesDisabledLetsADeletedSiteGoAtOnceWithAWarning() throws Exception {
    start(LocalRegistry.startWithoutDeletes(dir.resolve("registry")));
    String image = liveImage(createAndServe("refused", 0));

    site("refused").delete();

    await().atMost(TIMEOUT).until(() -> site("refused").get() == null);
    assertThat(eventsOfReason("RegistryDeletesDisabled"))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(image));
    assertThat(manifestStatus("refused", image)).isEqualTo(200);
    assertThat(deleteRequests()).as("one refused DELETE, no retry").isEqualTo(1);
  }

  @Test
  void aConfigMapSiteBesideImageSitesCarriesNoFinalizerAndGoesAtOnce() throws Exception {
    start(LocalRegistry.start(dir.resolve("registry")));
    var site = Sites.atomic(ns, "plain", Map.of("index.html", "one"));
    site.getSpec().setDelivery(Delivery.ConfigMap);
    client.resource(site).create();
    serve("plain", null);
    createAndServe("baked");

    assertThat(site("baked").get().getMetadata().getFinalizers())
        .as("an Image site waits for its images to go")
        .containsExactly("tinystatic.dev/registry-cleanup");
    assertThat(site("plain").get().getMetadata().getFinalizers())
        .as("a ConfigMap site has nothing in the registry: no finalizer, no write for one")
        .isNullOrEmpty();
    site("plain").delete();
    await().atMost(TIMEOUT).until(() -> site("plain").get() == null);
  }

  @Test
  void aRollingSiteRetiresTheImageItReplacesAndItsDeletionDeletesTheOneItServes() throws Exception {
    start(LocalRegistry.start(dir.resolve("registry")));
    var site = Sites.site(ns, "rolling", Map.of("index.html", "one"));
    site.getSpec().setDelivery(Delivery.Image);
    site.getSpec().getRollout().setImageGraceSeconds(0);
    site.getSpec().getRollout().setKeepRevisions(1);
    client.resource(site).create();
    String first = rolledIn("rolling", "none");
    edit("rolling", spec -> spec.setFiles(new java.util.TreeMap<>(Map.of("index.html", "two"))));
    String second = rolledIn("rolling", first);

    assertThat(site("rolling").get().getStatus().getRevisions())
        .as("one kept revision: the first image has left the history")
        .extracting(SiteRevision::getImage)
        .containsExactly(second);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(manifestStatus("rolling", first))
                    .as("the replaced image, once out of the kept revisions' grace")
                    .isEqualTo(404));
    assertThat(manifestStatus("rolling", second)).isEqualTo(200);

    site("rolling").delete();
    await().atMost(TIMEOUT).until(() -> site("rolling").get() == null);
    assertThat(manifestStatus("rolling", second)).isEqualTo(404);
  }

  // --- helpers ---

  private List<io.fabric8.kubernetes.api.model.Event> eventsOfReason(String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private TinyStaticSite createAndServe(String name) {
    return createAndServe(name, 0);
  }

  private TinyStaticSite createAndServe(String name, int imageGraceSeconds) {
    var site = Sites.atomic(ns, name, Map.of("index.html", "one"));
    site.getSpec().setDelivery(Delivery.Image);
    var rollout = new SiteRollout();
    rollout.setKeepRevisions(1);
    rollout.setDrainSeconds(0);
    rollout.setImageGraceSeconds(imageGraceSeconds);
    site.getSpec().setRollout(rollout);
    client.resource(site).create();
    return serve(name, null);
  }

  private String editAndServe(String name, String index) {
    String before = site(name).get().getStatus().getLiveRevision();
    edit(name, spec -> spec.setFiles(new java.util.TreeMap<>(Map.of("index.html", index))));
    return liveImage(serve(name, before));
  }

  /** Plays the Deployment controller for the revision after {@code previous} until it is live. */
  private TinyStaticSite serve(String name, String previous) {
    String revision =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> {
                  var status = site(name).get().getStatus();
                  if (status == null) {
                    return null;
                  }
                  return status.getPendingRevision() != null
                      ? status.getPendingRevision()
                      : status.getLiveRevision();
                },
                r -> r != null && !r.equals(previous));
    await().atMost(TIMEOUT).until(() -> deployment(name + "-" + revision).get(), d -> d != null);
    FakeKubelet.rolledOut(client, ns, name + "-" + revision);
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> site(name).get(),
            s ->
                revision.equals(s.getStatus().getLiveRevision())
                    && s.getStatus().getRevisions() != null
                    && s.getStatus().getPendingRevision() == null);
  }

  /**
   * Rolling: plays the Deployment controller for the site's one Deployment once it runs an image
   * other than {@code previous}; returns that image once the site's history names it.
   */
  private String rolledIn(String name, String previous) {
    var deployments = deployment(name);
    String image =
        await()
            .atMost(TIMEOUT)
            .until(
                () ->
                    Optional.ofNullable(deployments.get())
                        .map(d -> d.getSpec().getTemplate().getSpec().getContainers().get(0))
                        .map(c -> c.getImage())
                        .orElse(previous),
                i -> !i.equals(previous));
    FakeKubelet.rolledOut(client, ns, name);
    await()
        .atMost(TIMEOUT)
        .until(
            () -> site(name).get().getStatus(),
            s ->
                s != null && s.getRevisions() != null && image.equals(liveImage(site(name).get())));
    return image;
  }

  private static String liveImage(TinyStaticSite site) {
    return site.getStatus().getRevisions().get(0).getImage();
  }

  private int manifestStatus(String name, String image) throws Exception {
    String digest = image.substring(image.indexOf('@') + 1);
    return registry
        .get("/v2/sites/" + ns + "/" + name + "/manifests/" + digest, OciIndex.MEDIA_TYPE)
        .statusCode();
  }

  private long deleteRequests() throws Exception {
    List<LocalRegistry.Request> requests = registry.requests();
    return requests.stream().filter(r -> "DELETE".equals(r.method())).count();
  }
}
