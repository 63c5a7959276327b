package dev.tinystatic.mockapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.api.SiteRevision;
import dev.tinystatic.api.SiteRollout;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteSpec;
import dev.tinystatic.testing.FakeKubelet;
import dev.tinystatic.testing.Sites;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Atomic rollout (the default) against the mock API server, the test playing the Deployment
 * controller ({@link FakeKubelet}): a Deployment per revision, the Service moved in one step once
 * the new revision is fully available, the old one drained then removed, a superseded revision
 * removed at once, rollback by spec.revision, and the PodDisruptionBudget.
 */
class AtomicRolloutTest extends SharedMockApiTest {

  AtomicRolloutTest() {
    super("atomic");
  }

  @Test
  void theServiceMovesToTheNewRevisionOnlyOnceAllItsPodsAreAvailable() {
    var blue = Sites.atomic(ns, "blue", Map.of("index.html", "one"));
    blue.getSpec().setReplicas(2);
    blue.getSpec().setRollout(rollout(3600));
    client.resource(blue).create();

    String first = awaitLive("blue");
    Deployment firstDeployment = awaitExists(deployment("blue-" + first));
    assertThat(firstDeployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("tinystatic.dev/revision", first);
    assertThat(selectedRevision("blue")).isEqualTo(first);
    ConfigMap firstContent = awaitExists(configMap("blue-content-" + first));
    assertThat(firstContent.getImmutable()).isTrue();
    assertThat(firstContent.getData()).containsEntry("index.html", "one");
    assertThat(deployment("blue").get()).as("no rolled Deployment").isNull();
    assertThat(configMap("blue-content").get()).as("no mutable content ConfigMap").isNull();
    FakeKubelet.rolledOut(client, ns, "blue-" + first);
    TinyStaticSite ready = awaitReady("blue");
    assertThat(ready.getStatus().getRevisions())
        .singleElement()
        .satisfies(r -> assertThat(r.getLiveSince()).isNotBlank());

    edit("blue", s -> files(s, "two"));
    String second = await().atMost(TIMEOUT).until(() -> pending("blue"), p -> p != null);
    assertThat(second).isNotEqualTo(first);
    awaitExists(deployment("blue-" + second));
    FakeKubelet.setStatus(client, ns, "blue-" + second, 1);
    await()
        .pollDelay(Duration.ofMillis(500))
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(site("blue").get().getStatus().getReadyReplicas()).isEqualTo(2));
    assertThat(selectedRevision("blue"))
        .as("one of two new pods ready: the Service stays on the old revision")
        .isEqualTo(first);
    assertThat(site("blue").get().getStatus().getLiveRevision()).isEqualTo(first);

    FakeKubelet.rolledOut(client, ns, "blue-" + second);
    await().atMost(TIMEOUT).until(() -> second.equals(selectedRevision("blue")));
    TinyStaticSite switched = awaitReady("blue");
    assertThat(switched.getStatus().getLiveRevision()).isEqualTo(second);
    assertThat(switched.getStatus().getPendingRevision()).isNull();
    assertThat(switched.getStatus().getRevisions())
        .extracting(SiteRevision::getContentHash)
        .containsExactly(switched.getStatus().getContentHash(), ready.getStatus().getContentHash());
    assertThat(deployment("blue-" + first).get())
        .as("the old revision drains (spec.rollout.drainSeconds 3600)")
        .isNotNull();

    // A new edit while the previous revision still drains: it starts, the drain goes on.
    edit("blue", s -> files(s, "three"));
    String third =
        await().atMost(TIMEOUT).until(() -> pending("blue"), p -> p != null && !p.equals(second));
    awaitExists(deployment("blue-" + third));
    assertThat(condition(site("blue").get(), "Ready").getReason()).isEqualTo("RollingOut");
    assertThat(deployment("blue-" + first).get()).isNotNull();
    assertThat(selectedRevision("blue")).isEqualTo(second);

    edit("blue", s -> drain(s, 0));
    await().atMost(TIMEOUT).until(() -> deployment("blue-" + first).get() == null);
    assertThat(configMap("blue-content-" + first).get())
        .as("kept for a rollback (status.revisions)")
        .isNotNull();
  }

  @Test
  void aRevisionSupersededBeforeItWentLiveIsRemovedAtOnce() {
    var site = Sites.atomic(ns, "quick", Map.of("index.html", "one"));
    site.getSpec().setRollout(rollout(3600));
    client.resource(site).create();
    String first = awaitLive("quick");
    FakeKubelet.rolledOut(client, ns, "quick-" + first);
    awaitReady("quick");

    edit("quick", s -> files(s, "two"));
    String second = await().atMost(TIMEOUT).until(() -> pending("quick"), p -> p != null);
    awaitExists(deployment("quick-" + second));
    edit("quick", s -> files(s, "three"));
    String third =
        await().atMost(TIMEOUT).until(() -> pending("quick"), p -> p != null && !p.equals(second));

    await().atMost(TIMEOUT).until(() -> deployment("quick-" + second).get() == null);
    awaitExists(deployment("quick-" + third));
    assertThat(selectedRevision("quick")).isEqualTo(first);
    assertThat(deployment("quick-" + first).get()).isNotNull();
    assertThat(revisionDeployments("quick")).hasSize(2);
  }

  @Test
  void specRevisionRollsBackToAKeptRevisionAndClearingItReturnsToTheFiles() {
    var site = Sites.atomic(ns, "back", Map.of("index.html", "one"));
    site.getSpec().setRollout(rollout(0));
    client.resource(site).create();
    String first = awaitLive("back");
    FakeKubelet.rolledOut(client, ns, "back-" + first);
    String firstHash = awaitReady("back").getStatus().getContentHash();

    edit("back", s -> files(s, "two"));
    String second = await().atMost(TIMEOUT).until(() -> pending("back"), p -> p != null);
    FakeKubelet.rolledOut(client, ns, "back-" + second);
    await().atMost(TIMEOUT).until(() -> deployment("back-" + first).get() == null);

    edit("back", s -> revision(s, firstHash));
    Deployment again = awaitExists(deployment("back-" + first));
    assertThat(again.getSpec().getTemplate().getSpec().getVolumes().get(0).getProjected())
        .satisfies(
            p ->
                assertThat(p.getSources().get(0).getConfigMap().getName())
                    .isEqualTo("back-content-" + first));
    FakeKubelet.rolledOut(client, ns, "back-" + first);
    await().atMost(TIMEOUT).until(() -> first.equals(selectedRevision("back")));
    assertThat(condition(awaitReady("back"), "Ready").getMessage()).contains("rolled back");

    edit("back", s -> revision(s, null));
    await().atMost(TIMEOUT).until(() -> deployment("back-" + second).get() != null);
    FakeKubelet.rolledOut(client, ns, "back-" + second);
    await().atMost(TIMEOUT).until(() -> second.equals(selectedRevision("back")));
  }

  @Test
  void anUnknownRevisionIsReportedAndTheSiteKeepsServing() {
    var site = Sites.atomic(ns, "lost", Map.of("index.html", "one"));
    client.resource(site).create();
    String first = awaitLive("lost");
    FakeKubelet.rolledOut(client, ns, "lost-" + first);
    awaitReady("lost");

    edit("lost", s -> revision(s, "sha256:" + "0".repeat(64)));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(condition(site("lost").get(), "Ready").getReason())
                    .isEqualTo("RevisionNotFound"));
    assertThat(selectedRevision("lost")).isEqualTo(first);
    assertThat(revisionDeployments("lost")).hasSize(1);
  }

  @Test
  void aPodDisruptionBudgetFromTwoReplicasAndNoneBelow() {
    var site = Sites.atomic(ns, "spread", Map.of("index.html", "one"));
    site.getSpec().setReplicas(2);
    client.resource(site).create();
    PodDisruptionBudget budget =
        awaitExists(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("spread"));
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/instance", "spread")
        .doesNotContainKey("tinystatic.dev/revision");
    assertOwned(budget);
    String live = awaitLive("spread");
    assertThat(deployment("spread-" + live).get().getSpec().getTemplate().getSpec())
        .satisfies(
            pod ->
                assertThat(pod.getTopologySpreadConstraints())
                    .extracting(c -> c.getTopologyKey() + "/" + c.getWhenUnsatisfiable())
                    .containsExactly(
                        "kubernetes.io/hostname/ScheduleAnyway",
                        "topology.kubernetes.io/zone/ScheduleAnyway"));
    assertThat(site("spread").get().getStatus().getSelector())
        .isEqualTo(
            "app.kubernetes.io/name=tinystatic,app.kubernetes.io/instance=spread,"
                + "app.kubernetes.io/managed-by=tinystatic-operator");

    edit("spread", s -> replicas(s, 1));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("spread").get()
                    == null);
    assertThat(deployment("spread-" + live).get().getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void aRollingSiteSwitchedToAtomicKeepsItsPodsUntilTheFirstRevisionIsReady() {
    client.resource(Sites.site(ns, "switch", Map.of("index.html", "one"))).create();
    awaitExists(deployment("switch"));
    FakeKubelet.rolledOut(client, ns, "switch");
    awaitReady("switch");

    edit("switch", s -> strategy(s, dev.tinystatic.api.RolloutStrategy.Atomic));
    String first = await().atMost(TIMEOUT).until(() -> pending("switch"), p -> p != null);
    awaitExists(deployment("switch-" + first));
    assertThat(service("switch").get().getSpec().getSelector())
        .doesNotContainKey("tinystatic.dev/revision");
    assertThat(deployment("switch").get()).isNotNull();

    FakeKubelet.rolledOut(client, ns, "switch-" + first);
    await().atMost(TIMEOUT).until(() -> first.equals(selectedRevision("switch")));
    await().atMost(TIMEOUT).until(() -> deployment("switch").get() == null);
    await().atMost(TIMEOUT).until(() -> configMap("switch-content").get() == null);
  }

  @Test
  void aNoOpResyncOfALiveRevisionWritesNothing() throws Exception {
    var site = Sites.atomic(ns, "still", Map.of("index.html", "same"));
    site.getSpec().setReplicas(2);
    client.resource(site).create();
    String live = awaitLive("still");
    FakeKubelet.rolledOut(client, ns, "still-" + live);
    awaitReady("still");

    List<String> writes = writesOfARestartedOperator();
    assertThat(writes).as("writes (deletes included) on a no-op resync").isEmpty();
  }

  @Test
  void aParkedSiteGoesLiveAtOnceWithOneStatusWrite() throws Exception {
    var site = Sites.atomic(ns, "parked", Map.of("index.html", "zzz"));
    site.getSpec().setReplicas(0);
    drainRequests();
    client.resource(site).create();

    TinyStaticSite ready = awaitReady("parked");
    assertThat(condition(ready, "Ready").getReason()).isEqualTo("ScaledToZero");
    assertThat(ready.getStatus().getRevisions())
        .singleElement()
        .satisfies(r -> assertThat(r.getLiveSince()).isNotBlank());
    assertThat(selectedRevision("parked")).isEqualTo(ready.getStatus().getLiveRevision());
    await().pollDelay(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> true);
    assertThat(
            drainRequests().stream()
                .filter(r -> !r.startsWith("GET"))
                .filter(r -> r.contains("/namespaces/" + ns + "/"))
                .map(r -> r.replaceAll("\\?.*", "").replaceAll(" /apis?/.*/namespaces/[^/]+/", " "))
                .toList())
        .as("the test's create, then the operator's: the revision's objects and one status write")
        .containsExactlyInAnyOrder(
            "POST tinystaticsites",
            "POST configmaps",
            "POST deployments",
            "POST services",
            "PATCH tinystaticsites/parked/status");
  }

  @Test
  void revisionConfigMapsBeyondTheKeptRevisionsGoWithoutAListRequest() throws Exception {
    var site = Sites.atomic(ns, "pruned", Map.of("index.html", "v1"));
    site.getSpec().setReplicas(0); // parked: each revision goes live at once
    site.getSpec().setRollout(rollout(0));
    site.getSpec().getRollout().setKeepRevisions(1);
    client.resource(site).create();
    String first = awaitLive("pruned");
    awaitExists(configMap("pruned-content-" + first));
    drainRequests();

    edit("pruned", s -> files(s, "v2"));
    String second =
        await()
            .atMost(TIMEOUT)
            .until(() -> site("pruned").get().getStatus().getLiveRevision(), r -> !first.equals(r));

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(configMap("pruned-content-" + first).get()).as("not kept").isNull());
    assertThat(configMap("pruned-content-" + second).get()).as("live").isNotNull();
    assertThat(drainRequests())
        .as("the site's ConfigMaps come from the informer, not a list per cutover")
        .noneMatch(r -> r.startsWith("GET /api/v1/namespaces/" + ns + "/configmaps?"))
        .contains("DELETE /api/v1/namespaces/" + ns + "/configmaps/pruned-content-" + first);
  }

  // --- helpers ---

  private static SiteRollout rollout(int drainSeconds) {
    var rollout = new SiteRollout();
    rollout.setDrainSeconds(drainSeconds);
    return rollout;
  }

  private static void files(TinyStaticSiteSpec spec, String index) {
    spec.setFiles(new java.util.TreeMap<>(Map.of("index.html", index)));
  }

  private static void drain(TinyStaticSiteSpec spec, int seconds) {
    spec.getRollout().setDrainSeconds(seconds);
  }

  private static void revision(TinyStaticSiteSpec spec, String hash) {
    spec.setRevision(hash);
  }

  private static void replicas(TinyStaticSiteSpec spec, int replicas) {
    spec.setReplicas(replicas);
  }

  private static void strategy(
      TinyStaticSiteSpec spec, dev.tinystatic.api.RolloutStrategy strategy) {
    spec.getRollout().setStrategy(strategy);
  }

  private String awaitLive(String name) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () ->
                java.util.Optional.ofNullable(site(name).get().getStatus())
                    .map(s -> s.getLiveRevision())
                    .orElse(null),
            r -> r != null);
  }

  private String pending(String name) {
    var status = site(name).get().getStatus();
    return status == null ? null : status.getPendingRevision();
  }

  private String selectedRevision(String name) {
    Service service = service(name).get();
    return service == null ? null : service.getSpec().getSelector().get("tinystatic.dev/revision");
  }

  private List<Deployment> revisionDeployments(String name) {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withLabel("app.kubernetes.io/instance", name)
        .withLabel("tinystatic.dev/revision")
        .list()
        .getItems();
  }

  private void assertOwned(HasMetadata owned) {
    assertThat(owned.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("TinyStaticSite"));
  }
}
