package dev.tinystatic.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The README's quick start in a real k3s: both images imported, the chart installed with helm-java,
 * the operator running in the cluster under the chart's RBAC and pod security, the hello example
 * applied, Ready, served, deleted. Runs wherever Docker runs (skipped, with that reason, where it
 * does not) and needs the operator image built first (skipped, with the command, when it is not).
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sInstallTest {

  static final Path REPOSITORY = Chart.DEPLOY.resolve("..").normalize();
  static final Path OPERATOR_IMAGE =
      REPOSITORY.resolve("operator/target/tinystatic-operator-image.tar");
  static final Path SERVER_IMAGE = REPOSITORY.resolve("server/target/tinystatic-server-image.tar");
  static final String SITES = "web";

  static K3sContainer k3s;
  static KubernetesClient client;

  @BeforeAll
  static void installTheChart() throws Exception {
    assumeTrue(
        Files.exists(OPERATOR_IMAGE),
        "no operator image: build it with mvn -B -pl operator -am package -Pimage -DskipTests");
    assertThat(SERVER_IMAGE).as("build the server image: mvn -B -pl server package").exists();

    k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));
    k3s.start();
    importImage(OPERATOR_IMAGE);
    importImage(SERVER_IMAGE);
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
            .build();

    try {
      Chart.helm()
          .install()
          .withName(Chart.RELEASE)
          .withNamespace(Chart.NAMESPACE)
          .createNamespace()
          .withKubeConfigContents(k3s.getKubeConfigYaml())
          .set("logFormat", "text")
          .waitReady()
          .withTimeout(300)
          .call();
    } catch (RuntimeException e) {
      throw new AssertionError("helm install failed; operator log:\n" + operatorLog(), e);
    }
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (k3s != null) {
      k3s.stop();
    }
  }

  @Test
  void helloExampleBecomesReadyIsServedAndGoesAwayWithItsObjects() throws Exception {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(SITES).endMetadata().build())
        .create();
    try (var example = Files.newInputStream(ExamplesTest.DIR.resolve("hello.yaml"))) {
      client.load(example).inNamespace(SITES).create();
    }
    var hello = client.resources(TinyStaticSite.class).inNamespace(SITES).withName("hello");

    try {
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () ->
                  assertThat(hello.get().getStatus().getConditions())
                      .anySatisfy(
                          c -> {
                            assertThat(c.getType()).isEqualTo("Ready");
                            assertThat(c.getStatus()).isEqualTo("True");
                          }));
    } catch (AssertionError e) {
      throw new AssertionError(
          "site not Ready: " + hello.get().getStatus() + "\noperator log:\n" + operatorLog(), e);
    }
    assertThat(get(SITES, "hello", 8080, "/")).contains("Hello from TinyStatic");
    assertThat(get(Chart.NAMESPACE, "tinystatic-metrics", 8081, "/metrics")).isNotBlank();

    hello.delete();
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(client.apps().deployments().inNamespace(SITES).withName("hello").get())
                    .isNull());
  }

  private static void importImage(Path tar) throws Exception {
    String inContainer = "/tmp/" + tar.getFileName();
    k3s.copyFileToContainer(MountableFile.forHostPath(tar), inContainer);
    var imported = k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", inContainer);
    assertThat(imported.getExitCode()).as("import %s: %s", tar, imported.getStderr()).isZero();
  }

  /** GET through a port-forward to the Service; must answer 200. */
  private static String get(String namespace, String service, int port, String path)
      throws Exception {
    try (var forward =
        client.services().inNamespace(namespace).withName(service).portForward(port)) {
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + forward.getLocalPort() + path))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET %s/%s%s", namespace, service, path).isEqualTo(200);
      return response.body();
    }
  }

  private static String operatorLog() {
    try {
      return client
          .apps()
          .deployments()
          .inNamespace(Chart.NAMESPACE)
          .withName(Chart.RELEASE)
          .getLog();
    } catch (RuntimeException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
