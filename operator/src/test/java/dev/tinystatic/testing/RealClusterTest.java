package dev.tinystatic.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the end-to-end suite reads the cluster it is given from the environment. */
class RealClusterTest {

  @Test
  void noKubeconfigMeansNoClusterFromTheEnvironment() {
    assertThat(RealCluster.fromEnvironment(Map.<String, String>of()::get)).isEmpty();
  }

  @Test
  void aKubeconfigWithoutARegistryIsAMistakeNotASkip() {
    assertThatThrownBy(
            () ->
                RealCluster.fromEnvironment(
                    Map.of(RealCluster.KUBECONFIG, "/etc/kubernetes/admin.conf")::get))
        .hasMessageStartingWith(
            "TINYSTATIC_E2E_KUBECONFIG is set but TINYSTATIC_E2E_REGISTRY is not");
  }

  @Test
  void anUnreadableKubeconfigIsNamed() {
    assertThatThrownBy(
            () ->
                RealCluster.fromEnvironment(
                    Map.of(
                            RealCluster.KUBECONFIG,
                            "/nonexistent/kubeconfig",
                            RealCluster.REGISTRY,
                            "127.0.0.1:35000")
                        ::get))
        .hasMessage("TINYSTATIC_E2E_KUBECONFIG: cannot read /nonexistent/kubeconfig");
  }
}
