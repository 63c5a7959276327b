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
        MockCluster.start().startOperator(MockCluster.imageDeliveryConfig(registry.address())),
        "cleanup");
  }

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

  // --- helpers ---

  private TinyStaticSite createAndServe(String name) {
    var site = Sites.atomic(ns, name, Map.of("index.html", "one"));
    site.getSpec().setDelivery(Delivery.Image);
    var rollout = new SiteRollout();
    rollout.setKeepRevisions(1);
    rollout.setDrainSeconds(0);
    rollout.setImageGraceSeconds(0);
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
