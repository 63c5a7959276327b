package dev.tinystatic.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The lifecycle scenario with Image delivery in a real k3s: a registry container beside it, reached
 * by the operator (on the host) through its mapped port and by k3s's containerd through a
 * registries.yaml mirror — the local-registry pattern of k3d and kind, with a pull prefix. Runs
 * wherever Docker runs; skipped (with that reason) where it does not.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sImageDeliveryLifecycleTest extends K3sScenario {

  static final Network NETWORK = Network.newNetwork();
  static final String MIRRORS =
      """
      mirrors:
        "registry:5000":
          endpoint:
            - "http://registry:5000"
      """;

  @Container
  static final GenericContainer<?> REGISTRY =
      new GenericContainer<>(DockerImageName.parse("registry:2.8.3"))
          .withNetwork(NETWORK)
          .withNetworkAliases("registry")
          .withExposedPorts(5000);

  @Container
  static final K3sContainer K3S =
      new K3sContainer(DockerImageName.parse(K3S_IMAGE))
          .withNetwork(NETWORK)
          .withCopyToContainer(Transferable.of(MIRRORS), "/etc/rancher/k3s/registries.yaml");

  @BeforeAll
  static void start() throws Exception {
    startOperator(
        K3S,
        OperatorConfig.from(
            Map.of(
                OperatorConfig.HEALTH_PORT, "0",
                OperatorConfig.REGISTRY, "127.0.0.1:" + REGISTRY.getMappedPort(5000) + "/sites",
                OperatorConfig.REGISTRY_PULL_PREFIX, "registry:5000/sites",
                OperatorConfig.REGISTRY_INSECURE, "true")));
  }

  @AfterAll
  static void stop() {
    stopOperator();
  }

  @Override
  protected void checkPodSpec(PodSpec pod) {
    assertThat(pod.getVolumes()).isEmpty();
    assertThat(pod.getContainers().get(0).getImage())
        .startsWith("registry:5000/sites/")
        .contains("@sha256:");
  }
}
