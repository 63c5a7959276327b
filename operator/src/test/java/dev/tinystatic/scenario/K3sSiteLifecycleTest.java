package dev.tinystatic.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.config.OperatorConfig;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The lifecycle scenario in a real k3s cluster: the real server image (the tarball the server
 * module builds) imported into k3s, the operator running in-process with its production
 * settings (server-side apply on), real pods, a real HTTP GET through the Service, real garbage
 * collection. Runs wherever Docker runs; skipped (with that reason) where it does not.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sSiteLifecycleTest extends SiteLifecycleScenario {

  static final Path SERVER_IMAGE_TAR = Path.of("..", "server", "target", "tinystatic-server-image.tar");

  @Container
  static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

  static KubernetesClient client;
  static Operator operator;

  @BeforeAll
  static void startOperator() throws Exception {
    assertThat(SERVER_IMAGE_TAR).as("build the server first: mvn -pl server package").exists();
    K3S.copyFileToContainer(MountableFile.forHostPath(SERVER_IMAGE_TAR), "/tmp/server.tar");
    var imported = K3S.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/server.tar");
    assertThat(imported.getExitCode()).as(imported.getStderr()).isZero();

    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build();
    try (var crd = Files.newInputStream(MockCluster.CRD)) {
      client.load(crd).serverSideApply();
    }
    operator = TinyStaticOperator.create(client, OperatorConfig.from(Map.of(OperatorConfig.HEALTH_PORT, "0")));
    operator.start();
  }

  @AfterAll
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
    // Real kubelet: nothing to play; the scenario waits for Ready.
  }

  @Override
  protected String fetch(String namespace, String site, String path) throws Exception {
    return fetchThroughService(client, namespace, site, path);
  }

  /** GET through the site's Service, port-forwarded from the host. */
  static String fetchThroughService(KubernetesClient client, String namespace, String site, String path)
      throws Exception {
    var service = client.services().inNamespace(namespace).withName(site);
    int port = service.get().getSpec().getPorts().get(0).getPort();
    try (var forward = service.portForward(port)) {
      var response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + forward.getLocalPort() + path))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    }
  }

  @Override
  protected void assertDeletedWithTheSite(List<HasMetadata> owned) {
    awaitGone(client, owned);
  }

  /** Kubernetes' garbage collector removes what the site owned. */
  static void awaitGone(KubernetesClient client, List<HasMetadata> owned) {
    await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
        assertThat(owned).allSatisfy(o -> assertThat(client.resource(o).get()).isNull()));
  }
}
