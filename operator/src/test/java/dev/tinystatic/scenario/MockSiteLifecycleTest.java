package dev.tinystatic.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.testing.FakeKubelet;
import dev.tinystatic.testing.MockCluster;
import dev.tinystatic.testing.ServedContent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The lifecycle scenario on the mock API server. It has no kubelet, no server pods and no garbage
 * collector: the test sets Deployment status as the kubelet would, reads the files a pod would
 * serve from the ConfigMaps its volume projects, and checks the owner references the garbage
 * collector follows.
 */
class MockSiteLifecycleTest extends SiteLifecycleScenario {

  static MockCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = MockCluster.start().startOperator();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Override
  protected KubernetesClient client() {
    return cluster.client();
  }

  @Override
  protected Duration rolloutTimeout() {
    return Duration.ofSeconds(20);
  }

  @Override
  protected void podsRunTheCurrentTemplate(String namespace, String site) {
    FakeKubelet.rolledOut(client(), namespace, site);
  }

  @Override
  protected String fetch(String namespace, String site, String path) {
    String file = path.equals("/") ? "index.html" : path.substring(1);
    return ServedContent.files(client(), namespace, site).get(file);
  }

  @Override
  protected void assertDeletedWithTheSite(List<HasMetadata> owned) {
    assertThat(owned).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> {
          assertThat(ref.getKind()).isEqualTo("TinyStaticSite");
          assertThat(ref.getController()).isTrue();
        }));
  }
}
