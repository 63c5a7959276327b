package dev.tinystatic.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.testing.RealCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The scenarios with Image delivery on a real cluster: the operator bakes each site into its own
 * image, pushes it to the cluster's registry, and the nodes pull it by digest; no volume at all.
 * Skipped, saying how to give a cluster, where there is none.
 */
class RealClusterImageDeliveryLifecycleTest extends RealClusterScenario {

  @BeforeAll
  static void start() throws Exception {
    var config = new HashMap<>(RealCluster.get().registryEnvironment());
    config.put("TINYSTATIC_SERVER_IMAGE", serverImage());
    startOperator(config);
  }

  @AfterAll
  static void stop() throws Exception {
    stopOperator();
  }

  @Override
  protected void checkPodSpec(PodSpec pod) {
    assertThat(pod.getVolumes()).isEmpty();
    assertThat(pod.getContainers().get(0).getImage())
        .startsWith(RealCluster.get().pullPrefix() + "/")
        .contains("@sha256:");
  }

  /** Beside the objects, the site's image goes from the registry (the site's finalizer). */
  @Override
  protected void assertDeletedWithTheSite(List<HasMetadata> owned) {
    List<String> images =
        owned.stream()
            .filter(Deployment.class::isInstance)
            .map(d -> ((Deployment) d).getSpec().getTemplate().getSpec().getContainers().get(0))
            .map(Container::getImage)
            .toList();
    assertThat(images).isNotEmpty();
    super.assertDeletedWithTheSite(owned);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(images)
                    .allSatisfy(
                        image ->
                            assertThat(RealCluster.get().manifestStatus(image))
                                .as("the registry's answer for %s", image)
                                .isEqualTo(404)));
  }
}
