package dev.tinystatic.mockapi;

import dev.tinystatic.testing.LocalServer;
import dev.tinystatic.testing.MockCluster;
import dev.tinystatic.testing.ServedContent;
import dev.tinystatic.testing.ServiceProxy;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lifecycle scenario with ConfigMap delivery on the mock API server: what a pod serves is read
 * from the ConfigMaps its volume projects, key by key, as the kubelet lays them out, for the
 * Deployment the site's Service selects.
 */
class MockSiteLifecycleTest extends MockScenario {

  @BeforeAll
  static void start() throws Exception {
    startOperator(MockCluster.testConfig());
  }

  @AfterAll
  static void stop() {
    stopOperator();
  }

  @Override
  protected String fetch(String namespace, String site, String path) {
    String file = path.equals("/") ? "index.html" : path.substring(1);
    String deployment =
        ServedContent.behindService(client(), namespace, site).getMetadata().getName();
    return ServedContent.files(client(), namespace, deployment).get(file);
  }

  @Override
  protected ServiceProxy.Response request(
      String namespace, String site, String path, Map<String, String> headers) throws Exception {
    return LocalServer.configMapPod(client(), namespace, site, path, headers);
  }
}
