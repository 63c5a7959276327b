package dev.tinystatic.mockapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.testing.ImageContent;
import dev.tinystatic.testing.LocalRegistry;
import dev.tinystatic.testing.LocalServer;
import dev.tinystatic.testing.MockCluster;
import dev.tinystatic.testing.ServedContent;
import dev.tinystatic.testing.ServiceProxy;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle scenario with Image delivery (the default once a registry is configured) on the
 * mock API server and a real registry: what a pod serves is read from the image it runs, layer by
 * layer, out of the registry (the image of the Deployment the site's Service selects).
 */
class MockImageDeliveryLifecycleTest extends MockScenario {

  @TempDir static Path dir;
  static LocalRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start(dir.resolve("registry"));
    startOperator(MockCluster.imageDeliveryConfig(registry.address()));
  }

  @AfterAll
  static void stop() throws Exception {
    stopOperator();
    if (registry != null) {
      registry.close();
    }
  }

  @Override
  protected String fetch(String namespace, String site, String path) throws Exception {
    String image =
        ServedContent.behindService(client(), namespace, site)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getImage();
    String file = path.equals("/") ? "index.html" : path.substring(1);
    return ImageContent.files(registry, image).get(file);
  }

  @Override
  protected ServiceProxy.Response request(
      String namespace, String site, String path, Map<String, String> headers) throws Exception {
    var deployment = client().apps().deployments().inNamespace(namespace).withName(site).get();
    var server = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(server.getArgs()).as("the image's CMD has them").isNullOrEmpty();
    return LocalServer.imagePod(ImageContent.image(registry, server.getImage()), path, headers);
  }

  @Override
  protected void checkPodSpec(PodSpec pod) {
    assertThat(pod.getVolumes()).isEmpty();
    assertThat(pod.getContainers().get(0).getImage())
        .startsWith(registry.address() + "/sites/")
        .contains("@sha256:");
  }
}
