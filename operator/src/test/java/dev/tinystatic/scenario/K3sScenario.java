package dev.tinystatic.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.runtime.SitePortForward;
import dev.tinystatic.runtime.TinyStaticOperator;
import dev.tinystatic.testing.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.testcontainers.k3s.K3sContainer;

/**
 * The lifecycle scenario in a real k3s: the CRD applied, the operator running in this JVM with its
 * production settings (server-side apply on), real pods, HTTP through the site's Service, real
 * garbage collection.
 */
abstract class K3sScenario extends SiteLifecycleScenario {

  static final String K3S_IMAGE = "rancher/k3s:v1.31.4-k3s1";

  private static KubernetesClient client;
  private static Operator operator;

  /** Connects to {@code k3s}, installs the CRD and starts the operator with {@code config}. */
  static void startOperator(K3sContainer k3s, OperatorConfig config) throws Exception {
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
            .build();
    try (var crd = Files.newInputStream(MockCluster.CRD)) {
      client.load(crd).serverSideApply();
    }
    operator = TinyStaticOperator.create(client, config);
    operator.start();
  }

  static void stopOperator() {
    if (operator != null) {
      operator.stop();
    }
    if (client != null) {
      client.close();
    }
  }

  @Override
  protected KubernetesClient client() {
    return client;
  }

  @Override
  protected Duration rolloutTimeout() {
    return Duration.ofMinutes(3);
  }

  @Override
  protected void podsRunTheCurrentTemplate(String namespace, String site) {
    // A real kubelet: nothing to play; the scenario waits for Ready.
  }

  /**
   * GET from one of the site's ready pods, port-forwarded from the host, after checking that the
   * site's Service routes to ready pods on the server's port (its endpoints).
   */
  @Override
  protected String fetch(String namespace, String site, String path) throws Exception {
    var found = client.resources(TinyStaticSite.class).inNamespace(namespace).withName(site).get();
    var endpoints = client.endpoints().inNamespace(namespace).withName(site).get();
    assertThat(endpoints.getSubsets())
        .anySatisfy(
            subset -> {
              assertThat(subset.getAddresses()).isNotEmpty();
              assertThat(subset.getPorts())
                  .anySatisfy(
                      p -> assertThat(p.getPort()).isEqualTo(found.getSpec().portOrDefault()));
            });
    try (var forward = SitePortForward.open(client, found)) {
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + forward.getLocalPort() + path))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    }
  }

  /** Kubernetes' garbage collector removes what the site owned. */
  @Override
  protected void assertDeletedWithTheSite(List<HasMetadata> owned) {
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> assertThat(owned).allSatisfy(o -> assertThat(client.resource(o).get()).isNull()));
  }
}
