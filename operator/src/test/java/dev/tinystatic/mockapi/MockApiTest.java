package dev.tinystatic.mockapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteSpec;
import dev.tinystatic.api.TinyStaticSiteStatus;
import dev.tinystatic.testing.Edits;
import dev.tinystatic.testing.MockCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;

/**
 * A test of the running operator on the mock API server: the cluster, the namespace of the test's
 * sites, and the look-ups and waits on a site and its objects that these tests share. {@link
 * SharedMockApiTest} shares one cluster among a class's tests; a test that needs its own (another
 * configuration, a registry, expectations set before the operator starts) calls {@link
 * #ownCluster}.
 */
abstract class MockApiTest {

  /** How long the operator may take to act: a bake and a push to the local registry included. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  MockCluster cluster;
  KubernetesClient client;

  /** The namespace of this test's sites. */
  String ns;

  private boolean closeAfterTest;

  /** The test runs on {@code cluster}, which others share: it stays up after the test. */
  final void useCluster(MockCluster cluster, String ns) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.ns = ns;
  }

  /** The test runs on a cluster of its own, closed after the test. */
  final void ownCluster(MockCluster cluster, String ns) {
    useCluster(cluster, ns);
    closeAfterTest = true;
  }

  @AfterEach
  final void closeOwnCluster() {
    if (closeAfterTest && cluster != null) {
      cluster.close();
    }
  }

  Resource<TinyStaticSite> site(String name) {
    return client.resources(TinyStaticSite.class).inNamespace(ns).withName(name);
  }

  Resource<Deployment> deployment(String name) {
    return client.apps().deployments().inNamespace(ns).withName(name);
  }

  Resource<Service> service(String name) {
    return client.services().inNamespace(ns).withName(name);
  }

  Resource<ConfigMap> configMap(String name) {
    return client.configMaps().inNamespace(ns).withName(name);
  }

  /**
   * Edits the spec of site {@code name} as a user would (again on a conflict with the operator).
   */
  void edit(String name, Consumer<TinyStaticSiteSpec> change) {
    Edits.edit(
        site(name),
        site -> {
          change.accept(site.getSpec());
          return site;
        });
  }

  static <T extends HasMetadata> T awaitExists(Resource<T> resource) {
    return await().atMost(TIMEOUT).until(resource::get, r -> r != null);
  }

  /**
   * Waits until site {@code name} has condition {@code type} with {@code status}; the site then.
   */
  TinyStaticSite awaitCondition(String name, String type, String status) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> site(name).get(),
            s ->
                s.getStatus() != null
                    && s.getStatus().getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType()) && status.equals(c.getStatus())));
  }

  TinyStaticSite awaitReady(String name) {
    return awaitCondition(name, "Ready", "True");
  }

  static Condition condition(TinyStaticSite site, String type) {
    return condition(site.getStatus(), type);
  }

  static Condition condition(TinyStaticSiteStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  /** The events about site {@code name}. */
  List<Event> events(String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /** Waits for a Warning event with {@code reason} on site {@code name}. */
  void awaitWarning(String name, String reason) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(events(name))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo(reason);
                          assertThat(e.getInvolvedObject().getKind()).isEqualTo("TinyStaticSite");
                        }));
  }

  /**
   * The requests the mock API server received since the last call, as "METHOD /path?query": what
   * the operator wrote, for the tests that count its writes.
   */
  List<String> drainRequests() throws InterruptedException {
    List<String> requests = new ArrayList<>();
    for (var r = cluster.server().takeRequest(10, TimeUnit.MILLISECONDS);
        r != null;
        r = cluster.server().takeRequest(10, TimeUnit.MILLISECONDS)) {
      requests.add(r.getMethod() + " " + r.getPath());
    }
    return requests;
  }

  /**
   * Restarts the operator and returns what it wrote in this test's namespace (deletes included)
   * while it reconciled every site once.
   */
  List<String> writesOfARestartedOperator() throws InterruptedException {
    cluster.stopOperator();
    drainRequests();
    cluster.startOperator();
    // The restarted operator reconciles every site once; give it time, then count its writes.
    await().pollDelay(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> true);
    return drainRequests().stream()
        .filter(r -> !r.startsWith("GET"))
        .filter(r -> r.contains("/namespaces/" + ns + "/"))
        .toList();
  }
}
