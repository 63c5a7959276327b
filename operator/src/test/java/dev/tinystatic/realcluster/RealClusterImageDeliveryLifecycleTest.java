package dev.tinystatic.realcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.testing.RealCluster;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.HashMap;
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
}
