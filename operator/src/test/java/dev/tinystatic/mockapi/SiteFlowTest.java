package dev.tinystatic.mockapi;

import static dev.tinystatic.testing.ServedContent.contentHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.testing.Edits;
import dev.tinystatic.testing.FakeKubelet;
import dev.tinystatic.testing.MockCluster;
import dev.tinystatic.testing.ServedContent;
import dev.tinystatic.testing.Sites;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The running operator against Fabric8's mock API server in CRUD mode. */
class SiteFlowTest extends SharedMockApiTest {

  SiteFlowTest() {
    super("flow");
  }

  @Test
  void createsContentConfigMapDeploymentAndServiceOwnedByTheSite() {
    var created =
        apply(
            Sites.site(
                ns, "hello", Map.of("index.html", "<h1>Hello</h1>", "css/site.css", "h1{}")));

    Deployment deployment = awaitExists(deployment("hello"));
    Service service = awaitExists(service("hello"));
    ConfigMap content = awaitExists(configMap("hello-content"));
    for (HasMetadata owned : List.of(deployment, service, content)) {
      assertThat(owned.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              ref -> {
                assertThat(ref.getKind()).isEqualTo("TinyStaticSite");
                assertThat(ref.getName()).isEqualTo("hello");
                assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
                assertThat(ref.getController()).isTrue();
              });
    }
    assertThat(content.getData())
        .containsEntry("index.html", "<h1>Hello</h1>")
        .containsEntry("css_2fsite.css", "h1{}");
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
    assertThat(ServedContent.files(client, ns, "hello"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("index.html", "<h1>Hello</h1>", "css/site.css", "h1{}"));

    FakeKubelet.rolledOut(client, ns, "hello");
    TinyStaticSite ready = awaitCondition("hello", "Ready", "True");
    assertThat(ready.getStatus().getReadyReplicas()).isEqualTo(1);
    assertThat(ready.getStatus().getFiles()).isEqualTo(2);
    assertThat(ready.getStatus().getContentBytes()).isEqualTo(18);
    assertThat(ready.getStatus().getUrl()).isEqualTo("http://hello." + ns + ".svc:8080");
    assertThat(ready.getStatus().getObservedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    assertThat(events("hello"))
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Normal");
              assertThat(e.getReason()).isEqualTo("Available");
            });
  }

  @Test
  void statusFollowsTheDeploymentAsTheKubeletReportsIt() {
    var hello = Sites.site(ns, "hello", Map.of("index.html", "hi"));
    hello.getSpec().setReplicas(3);
    apply(hello);
    awaitExists(deployment("hello"));
    assertThat(awaitCondition("hello", "Ready", "False").getStatus().getReadyReplicas()).isZero();

    FakeKubelet.setStatus(client, ns, "hello", 2);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = site("hello").get().getStatus();
              assertThat(status.getReadyReplicas()).isEqualTo(2);
              assertThat(condition(status, "Ready").getReason()).isEqualTo("RollingOut");
            });

    FakeKubelet.setStatus(client, ns, "hello", 3);
    var ready = awaitCondition("hello", "Ready", "True");
    assertThat(ready.getStatus().getReadyReplicas()).isEqualTo(3);
    assertThat(condition(ready.getStatus(), "Ready").getMessage())
        .startsWith("3/3 pods serve content sha256:");
  }

  @Test
  void editingTheFilesRollsThePodsAndKeepingThemDoesNot() {
    apply(Sites.site(ns, "hello", Map.of("index.html", "one")));
    String firstHash = contentHash(awaitExists(deployment("hello")));
    FakeKubelet.rolledOut(client, ns, "hello");
    awaitCondition("hello", "Ready", "True");

    edit("hello", spec -> spec.getFiles().put("index.html", "two"));
    await().atMost(TIMEOUT).until(() -> !contentHash(deployment("hello").get()).equals(firstHash));
    assertThat(awaitCondition("hello", "Ready", "False").getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("RollingOut"));
    assertThat(ServedContent.files(client, ns, "hello")).containsEntry("index.html", "two");
    FakeKubelet.rolledOut(client, ns, "hello");
    awaitCondition("hello", "Ready", "True");

    // A new generation with the same files (only the Service's port changes): the pods stay.
    var template = deployment("hello").get().getSpec().getTemplate();
    long generation = site("hello").get().getMetadata().getGeneration();
    edit(
        "hello",
        spec -> {
          var service = new dev.tinystatic.api.SiteService();
          service.setPort(80);
          spec.setService(service);
        });
    await()
        .atMost(TIMEOUT)
        .until(() -> service("hello").get().getSpec().getPorts().get(0).getPort() == 80);
    assertThat(site("hello").get().getMetadata().getGeneration()).isGreaterThan(generation);
    assertThat(deployment("hello").get().getSpec().getTemplate()).isEqualTo(template);
  }

  @Test
  void aNoOpResyncWritesNothing() throws Exception {
    apply(Sites.site(ns, "quiet", Map.of("index.html", "same")));
    awaitExists(deployment("quiet"));
    FakeKubelet.rolledOut(client, ns, "quiet");
    awaitCondition("quiet", "Ready", "True");

    List<String> writes = writesOfARestartedOperator();
    assertThat(writes).as("writes to the API server on a no-op resync").isEmpty();
  }

  @Test
  void aSiteWithNoReplicasIsReadyAtOnceWithOneStatusWriteAndNoEvent() throws Exception {
    var parked = Sites.site(ns, "parked", Map.of("index.html", "zzz"));
    parked.getSpec().setReplicas(0);
    drainRequests();
    apply(parked);

    var ready = awaitCondition("parked", "Ready", "True");
    assertThat(condition(ready.getStatus(), "Ready").getReason()).isEqualTo("ScaledToZero");
    await().pollDelay(Duration.ofSeconds(2)).atMost(TIMEOUT).until(() -> true);
    assertThat(
            drainRequests().stream()
                .filter(r -> !r.startsWith("GET"))
                .filter(r -> r.contains("/namespaces/" + ns + "/"))
                .map(r -> r.replaceAll("\\?.*", "").replaceAll(" /apis?/.*/namespaces/[^/]+/", " "))
                .toList())
        .as("the test's create, then the operator's writes: its objects and one status")
        .containsExactlyInAnyOrder(
            "POST tinystaticsites",
            "POST configmaps",
            "POST deployments",
            "POST services",
            "PATCH tinystaticsites/parked/status");
  }

  @Test
  void deletedOrEditedChildrenAreRestored() {
    apply(Sites.site(ns, "sturdy", Map.of("index.html", "keep me")));
    awaitExists(deployment("sturdy"));
    awaitExists(service("sturdy"));
    awaitExists(configMap("sturdy-content"));

    deployment("sturdy").delete();
    await().atMost(TIMEOUT).until(() -> deployment("sturdy").get() != null);

    service("sturdy").delete();
    await().atMost(TIMEOUT).until(() -> service("sturdy").get() != null);

    Edits.edit(
        configMap("sturdy-content"),
        cm -> {
          cm.getData().put("index.html", "vandalised");
          cm.getData().put("extra.html", "x");
          return cm;
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(ServedContent.siteFiles(configMap("sturdy-content").get()))
                    .containsExactlyEntriesOf(Map.of("index.html", "keep me")));

    Edits.edit(
        deployment("sturdy"),
        d -> {
          d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:latest");
          return d;
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        deployment("sturdy")
                            .get()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo(MockCluster.SERVER_IMAGE));
  }

  @Test
  void anOwnerReferenceRemovedByHandIsRestoredSoDeletingTheSiteStillDeletesAll() {
    var created = apply(Sites.site(ns, "owned", Map.of("index.html", "mine")));
    List<Resource<? extends HasMetadata>> children =
        List.of(configMap("owned-content"), deployment("owned"), service("owned"));
    for (var child : children) {
      awaitExists(child);
    }
    for (var child : children) {
      Edits.edit(
          child,
          c -> {
            c.getMetadata().setOwnerReferences(List.of());
            return c;
          });
    }
    for (var child : children) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(child.get().getMetadata().getOwnerReferences())
                      .singleElement()
                      .satisfies(
                          ref -> {
                            assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
                            assertThat(ref.getController()).isTrue();
                          }));
    }
  }

  @Test
  void anInvalidPathGivesAConditionAndAWarningAndNoObjectsThenRecovers() {
    apply(Sites.site(ns, "bad", Map.of("../etc/passwd", "x", "index.html", "ok")));
    var failed = awaitCondition("bad", "ContentReady", "False");
    assertThat(condition(failed.getStatus(), "ContentReady").getReason()).isEqualTo("InvalidPath");
    assertThat(condition(failed.getStatus(), "ContentReady").getMessage())
        .contains("'../etc/passwd'");
    assertThat(condition(failed.getStatus(), "Ready").getStatus()).isEqualTo("False");
    awaitWarning("bad", "InvalidPath");
    assertThat(deployment("bad").get()).isNull();
    assertThat(configMap("bad-content").get()).isNull();

    edit("bad", spec -> spec.getFiles().remove("../etc/passwd"));
    awaitCondition("bad", "ContentReady", "True");
    awaitExists(deployment("bad"));
    FakeKubelet.rolledOut(client, ns, "bad");
    awaitCondition("bad", "Ready", "True");
  }

  @Test
  void aBadEditKeepsTheRunningSiteAndSaysSo() {
    apply(Sites.site(ns, "live", Map.of("index.html", "good")));
    String hash = contentHash(awaitExists(deployment("live")));
    FakeKubelet.rolledOut(client, ns, "live");
    awaitCondition("live", "Ready", "True");

    edit("live", spec -> spec.getFiles().put("a//b.html", "x"));
    var failed = awaitCondition("live", "ContentReady", "False");
    assertThat(condition(failed.getStatus(), "Ready").getMessage())
        .endsWith("the pods keep serving the previous content");
    assertThat(failed.getStatus().getContentHash())
        .as("status still names what is served")
        .isEqualTo(site("live").get().getStatus().getContentHash());
    assertThat(contentHash(deployment("live").get())).isEqualTo(hash);
    assertThat(ServedContent.siteFiles(configMap("live-content").get()))
        .containsExactlyEntriesOf(Map.of("index.html", "good"));
  }

  @Test
  void contentOverTheConfigMapLimitIsRefusedClearly() {
    String big = "x".repeat(600 * 1024);
    apply(Sites.site(ns, "huge", Map.of("a.html", big, "b.html", big)));
    var failed = awaitCondition("huge", "ContentReady", "False");
    assertThat(condition(failed.getStatus(), "ContentReady").getReason())
        .isEqualTo("ContentTooLarge");
    assertThat(condition(failed.getStatus(), "ContentReady").getMessage())
        .contains("1,228,800 bytes")
        .contains("1,048,576");
    awaitWarning("huge", "ContentTooLarge");
    assertThat(configMap("huge-content").get()).isNull();
  }

  @Test
  void aMissingReferencedConfigMapIsReportedAndItsCreationRecovers() {
    apply(Sites.referencing(ns, "docs", "docs-files"));
    var failed = awaitCondition("docs", "ContentReady", "False");
    assertThat(condition(failed.getStatus(), "ContentReady").getReason())
        .isEqualTo("ContentSourceMissing");
    awaitWarning("docs", "ContentSourceMissing");

    createContentSource("docs-files", "docs v1");
    awaitCondition("docs", "ContentReady", "True");
    awaitExists(deployment("docs"));
    assertThat(ServedContent.files(client, ns, "docs"))
        .containsExactlyEntriesOf(Map.of("index.html", "docs v1"));
  }

  @Test
  void anUnlabelledReferencedConfigMapIsNamedWithTheLabelToAdd() {
    createUnlabelledConfigMap("plain", "x");
    apply(Sites.referencing(ns, "docs", "plain"));
    var failed = awaitCondition("docs", "ContentReady", "False");
    assertThat(condition(failed.getStatus(), "ContentReady").getReason())
        .isEqualTo("ContentSourceNotLabelled");
    awaitWarning("docs", "ContentSourceNotLabelled");

    Edits.edit(
        configMap("plain"),
        cm -> {
          cm.getMetadata().getLabels().put("tinystatic.dev/content", "true");
          return cm;
        });
    awaitCondition("docs", "ContentReady", "True");
    assertThat(ServedContent.files(client, ns, "docs")).containsEntry("index.html", "x");
  }

  @Test
  void editingTheReferencedConfigMapRollsTheSite() {
    createContentSource("docs-files", "v1");
    var docs = Sites.referencing(ns, "docs", "docs-files");
    docs.getSpec().setFiles(Map.of("extra/about.html", "about"));
    apply(docs);
    String first = contentHash(awaitExists(deployment("docs")));
    assertThat(ServedContent.files(client, ns, "docs"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("index.html", "v1", "extra/about.html", "about"));

    Edits.edit(
        configMap("docs-files"),
        cm -> {
          cm.getData().put("index.html", "v2");
          return cm;
        });
    await().atMost(TIMEOUT).until(() -> !contentHash(deployment("docs").get()).equals(first));
    assertThat(ServedContent.files(client, ns, "docs")).containsEntry("index.html", "v2");
    assertThat(ServedContent.siteFiles(configMap("docs-content").get()))
        .as("the referenced files are not copied")
        .containsExactlyEntriesOf(Map.of("extra_2fabout.html", "about"));
  }

  @Test
  void aFileGivenTwiceIsAnError() {
    createContentSource("docs-files", "from the configmap");
    var docs = Sites.referencing(ns, "twice", "docs-files");
    docs.getSpec().setFiles(Map.of("index.html", "inline"));
    apply(docs);
    var failed = awaitCondition("twice", "ContentReady", "False");
    assertThat(condition(failed.getStatus(), "ContentReady").getReason())
        .isEqualTo("DuplicatePath");
    assertThat(condition(failed.getStatus(), "ContentReady").getMessage())
        .contains("'index.html'")
        .contains("spec.files")
        .contains("ConfigMap 'docs-files'");
  }

  @Test
  void aNodePortClashRefusedByTheApiServerIsReported() {
    var clash = Sites.site(ns, "clash", Map.of("index.html", "x"));
    var settings = new dev.tinystatic.api.SiteService();
    settings.setType(dev.tinystatic.api.ServiceType.NodePort);
    settings.setNodePort(30080);
    clash.getSpec().setService(settings);
    // What a real API server answers when another Service holds the node port.
    cluster
        .server()
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + ns + "/services")
        .andReturn(
            422,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(422)
                .withReason("Invalid")
                .withMessage(
                    "Service \"clash\" is invalid: spec.ports[0].nodePort: Invalid value: 30080:"
                        + " provided port is already allocated")
                .build())
        .always();
    apply(clash);
    await()
        .atMost(TIMEOUT)
        .ignoreExceptions() // no status yet
        .untilAsserted(
            () -> {
              var ready = condition(site("clash").get().getStatus(), "Ready");
              assertThat(ready.getReason()).isEqualTo("ApplyFailed");
              assertThat(ready.getMessage())
                  .contains("provided port is already allocated")
                  .contains("HTTP 422");
            });
    awaitWarning("clash", "ApplyFailed");
  }

  // --- helpers ---

  private TinyStaticSite apply(TinyStaticSite site) {
    return client.resource(site).create();
  }

  /** A ConfigMap of index.html with the label that lets a site reference it. */
  private void createContentSource(String name, String index) {
    client
        .resource(
            configMapOf(name, index)
                .editMetadata()
                .addToLabels("tinystatic.dev/content", "true")
                .endMetadata()
                .build())
        .create();
  }

  private void createUnlabelledConfigMap(String name, String index) {
    client.resource(configMapOf(name, index).build()).create();
  }

  private ConfigMapBuilder configMapOf(String name, String index) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .addToData("index.html", index);
  }
}
