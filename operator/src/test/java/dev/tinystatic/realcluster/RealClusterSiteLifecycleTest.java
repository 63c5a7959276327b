package dev.tinystatic.realcluster;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The scenarios with ConfigMap delivery on a real cluster: the generic server image of this build
 * (pushed to the cluster's registry) mounts the site's ConfigMap. Skipped, saying how to give a
 * cluster, where there is none.
 */
class RealClusterSiteLifecycleTest extends RealClusterScenario {

  @BeforeAll
  static void start() throws Exception {
    startOperator(Map.of("TINYSTATIC_SERVER_IMAGE", serverImage()));
  }

  @AfterAll
  static void stop() throws Exception {
    stopOperator();
  }
}
