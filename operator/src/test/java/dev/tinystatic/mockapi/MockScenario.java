package dev.tinystatic.mockapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.scenario.SiteLifecycleScenario;
import dev.tinystatic.testing.FakeKubelet;
import dev.tinystatic.testing.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;

/**
 * The lifecycle scenario on the mock API server. It has no kubelet, no pods and no garbage
 * collector: the test sets Deployment status as the kubelet would, reads what a pod would serve
 * from what its delivery gives it, and checks the owner references the garbage collector follows.
 */
abstract class MockScenario extends SiteLifecycleScenario {

  private static MockCluster cluster;

  static final String NAMESPACE = "lifecycle";

  static void startOperator(OperatorConfig config) throws Exception {
    cluster = MockCluster.start().startOperator(config);
    cluster
        .client()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .endMetadata()
                .build())
        .create();
  }

  static void stopOperator() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected KubernetesClient client() {
    return cluster.client();
  }

  @Override
  protected String namespace() {
    return NAMESPACE;
  }

  @Override
  protected Duration rolloutTimeout() {
    return Duration.ofSeconds(30);
  }

  @Override
  protected void podsRunTheCurrentTemplate(String namespace, String site) {
    FakeKubelet.rolledOut(client(), namespace, site);
  }

  @Override
  protected void assertDeletedWithTheSite(List<HasMetadata> owned) {
    assertThat(owned)
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(
                        ref -> {
                          assertThat(ref.getKind()).isEqualTo("TinyStaticSite");
                          assertThat(ref.getController()).isTrue();
                        }));
  }
}
