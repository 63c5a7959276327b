package dev.tinystatic.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.marcnuri.helm.Helm;
import dev.tinystatic.realcluster.RealClusterScenario;
import dev.tinystatic.testing.OperatorProcess;
import dev.tinystatic.testing.RealCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator inside a real cluster as users install it: the operator image that {@code -Pimage}
 * builds, the chart installed by the real Helm library (helm-java), the operator pod Ready under
 * the chart's RBAC and pod security, then the lifecycle scenarios against it (ConfigMap delivery;
 * Image delivery too when the pods can reach a registry), then uninstalled. Runs on any cluster
 * given to the end-to-end suite, or k3s where Docker runs; skipped with the reason otherwise, and
 * when there is no operator image.
 */
class ChartInstallTest extends RealClusterScenario {

  /** A reference the nodes pull the operator image by; default: the archive -Pimage built. */
  static final String OPERATOR_IMAGE = "TINYSTATIC_E2E_OPERATOR_IMAGE";

  /**
   * {@code host[:port]}: the e2e registry as pods reach it (for Image delivery by the in-cluster
   * operator); without it the in-cluster operator has ConfigMap delivery only.
   */
  static final String IN_CLUSTER_REGISTRY = "TINYSTATIC_E2E_IN_CLUSTER_REGISTRY";

  static final Path ARCHIVE =
      Chart.DEPLOY.resolve("../operator/target/tinystatic-operator-image.tar").normalize();

  private static Helm chart;
  private static boolean imageDelivery;
  private static String release;

  @BeforeAll
  static void install() throws Exception {
    RealCluster cluster = RealCluster.get();
    String image = operatorImage(cluster);
    prepare();
    release = systemNamespace();
    Map<String, Object> values = new LinkedHashMap<>();
    int at = image.indexOf('@');
    int colon = image.lastIndexOf(':');
    if (at > 0) {
      values.put("image.repository", image.substring(0, at));
      values.put("image.digest", image.substring(at + 1));
    } else {
      values.put("image.repository", image.substring(0, colon));
      values.put("image.tag", image.substring(colon + 1));
    }
    values.put("serverImage", cluster.serverImage());
    values.put("watchNamespaces[0]", sitesNamespace());
    values.put("logFormat", "text");
    String inCluster = System.getenv(IN_CLUSTER_REGISTRY);
    imageDelivery = inCluster != null && !inCluster.isBlank();
    if (imageDelivery) {
      var registry = cluster.registryEnvironment();
      values.put("registry.url", inCluster.strip() + "/tinystatic-e2e/sites");
      values.put("registry.pullPrefix", cluster.pullPrefix());
      values.put(
          "registry.insecure", Boolean.parseBoolean(registry.get("TINYSTATIC_REGISTRY_INSECURE")));
    }
    chart = Chart.helm();
    var install =
        chart
            .install()
            .withName(release)
            .withNamespace(systemNamespace())
            .withKubeConfigContents(cluster.kubeconfigYaml())
            .waitReady()
            .withTimeout(300);
    values.forEach((key, value) -> install.set(key, value));
    try {
      install.call();
    } catch (RuntimeException e) {
      throw new AssertionError("helm install failed; operator log:\n" + operatorLog(), e);
    }
  }

  @AfterAll
  static void uninstall() throws Exception {
    finish(
        () -> {
          String log = operatorLog();
          // kept for a failed scenario: the operator's side of it
          java.nio.file.Files.createDirectories(WORK.resolve("logs"));
          java.nio.file.Files.writeString(
              WORK.resolve("logs").resolve("operator-in-cluster.log"), log);
          assertThat(OperatorProcess.forbidden(log))
              .as("refused requests in the operator's log")
              .isEmpty();
          Helm.uninstall(release)
              .withNamespace(systemNamespace())
              .withKubeConfigContents(RealCluster.get().kubeconfigYaml())
              .call();
        });
  }

  /** With a registry the pods reach, the in-cluster operator bakes and the pods run its images. */
  @Override
  protected void checkPodSpec(io.fabric8.kubernetes.api.model.PodSpec pod) {
    if (imageDelivery) {
      assertThat(pod.getVolumes()).isEmpty();
      assertThat(pod.getContainers().get(0).getImage())
          .startsWith(RealCluster.get().pullPrefix() + "/")
          .contains("@sha256:");
    }
  }

  /** The in-cluster operator is one pod, Ready, running the image under test. */
  @Test
  void theOperatorRunsInItsPodUnderTheChartsSecurity() {
    List<Pod> pods = operatorPods();
    assertThat(pods).hasSize(1);
    var pod = pods.get(0);
    assertThat(pod.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(
            pod.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
        .isTrue();
  }

  private static String operatorImage(RealCluster cluster) throws Exception {
    String given = System.getenv(OPERATOR_IMAGE);
    if (given != null && !given.isBlank()) {
      return given.strip();
    }
    assumeTrue(
        Files.exists(ARCHIVE),
        "no operator image: build it (mvn -B verify -Pimage, with"
            + " -Djib.from.image=tar:///tmp/jre17-base.tar from deploy/e2e/jre17-base.sh where the"
            + " distroless base cannot be pulled) or set "
            + OPERATOR_IMAGE);
    String tag = "e2e-" + Files.getLastModifiedTime(ARCHIVE).toMillis();
    return cluster.pushArchive(ARCHIVE, "tinystatic-e2e/operator", tag);
  }

  private static List<Pod> operatorPods() {
    return RealCluster.get()
        .admin()
        .pods()
        .inNamespace(systemNamespace())
        .withLabel("app.kubernetes.io/component", "operator")
        .list()
        .getItems();
  }

  private static String operatorLog() {
    StringBuilder log = new StringBuilder();
    for (Pod pod : operatorPods()) {
      log.append(
          RealCluster.get()
              .admin()
              .pods()
              .inNamespace(systemNamespace())
              .withName(pod.getMetadata().getName())
              .getLog());
    }
    return log.toString();
  }
}
