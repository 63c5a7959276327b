package dev.tinystatic.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsWatchEverythingWithServerSideApplyAndNoLeaderElection() {
    var config = OperatorConfig.from(Map.of("TINYSTATIC_SERVER_IMAGE", "img:1"));
    assertThat(config.watchesAllNamespaces()).isTrue();
    assertThat(config.serverImage()).isEqualTo("img:1");
    assertThat(config.serverSideApply()).isTrue();
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.healthPort()).isEqualTo(8081);
    assertThat(config.reconcileThreads()).isEqualTo(50);
    assertThat(config.imageCleanupTimeout()).isEqualTo(java.time.Duration.ofMinutes(2));
  }

  @Test
  void readsEveryVariable() {
    var config =
        OperatorConfig.from(
            Map.of(
                "TINYSTATIC_WATCH_NAMESPACES", " web, docs ,",
                "TINYSTATIC_SERVER_IMAGE", "registry.example/server:2",
                "TINYSTATIC_SERVER_SIDE_APPLY", "false",
                "TINYSTATIC_LEADER_ELECTION", "yes",
                "TINYSTATIC_NAMESPACE", "ops",
                "TINYSTATIC_HEALTH_PORT", "9000",
                "TINYSTATIC_RECONCILE_THREADS", "8",
                "TINYSTATIC_IMAGE_CLEANUP_TIMEOUT_SECONDS", "30"));
    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("web", "docs");
    assertThat(config.serverSideApply()).isFalse();
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.namespace()).isEqualTo("ops");
    assertThat(config.healthPort()).isEqualTo(9000);
    assertThat(config.reconcileThreads()).isEqualTo(8);
    assertThat(config.imageCleanupTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> OperatorConfig.from(Map.of("TINYSTATIC_WATCH_NAMESPACES", "Web_1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TINYSTATIC_WATCH_NAMESPACES: 'Web_1'");
    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    Map.of("TINYSTATIC_SERVER_IMAGE", "i", "TINYSTATIC_LEADER_ELECTION", "maybe")))
        .hasMessageContaining("TINYSTATIC_LEADER_ELECTION: expected true or false, got 'maybe'");
    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    Map.of("TINYSTATIC_SERVER_IMAGE", "i", "TINYSTATIC_HEALTH_PORT", "70000")))
        .hasMessageContaining("TINYSTATIC_HEALTH_PORT: expected a port 0-65535");
    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    Map.of("TINYSTATIC_SERVER_IMAGE", "i", "TINYSTATIC_RECONCILE_THREADS", "0")))
        .hasMessageContaining("TINYSTATIC_RECONCILE_THREADS: expected a number of at least 1");
    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    Map.of(
                        "TINYSTATIC_SERVER_IMAGE", "i",
                        "TINYSTATIC_IMAGE_CLEANUP_TIMEOUT_SECONDS", "2m")))
        .hasMessageContaining(
            "TINYSTATIC_IMAGE_CLEANUP_TIMEOUT_SECONDS: expected a number of at least 1");
  }

  @Test
  void theDefaultServerImageIsTheOneBuiltWithThisOperator() {
    assertThat(OperatorConfig.from(Map.of()).serverImage()).startsWith("tinystatic/server:");
  }

  @Test
  void readsTheRegistryAndRefusesHalfConfigurations() {
    var config =
        OperatorConfig.from(
            Map.of(
                "TINYSTATIC_SERVER_IMAGE", "i",
                "TINYSTATIC_REGISTRY", "registry.example:5000/sites/",
                "TINYSTATIC_REGISTRY_PULL_PREFIX", "localhost:5000/sites",
                "TINYSTATIC_REGISTRY_INSECURE", "true",
                "TINYSTATIC_REGISTRY_SECRET", "push-creds",
                "TINYSTATIC_IMAGE_PULL_SECRETS", "a, b"));
    var registry = config.registry().orElseThrow();
    assertThat(registry.registry()).isEqualTo("registry.example:5000");
    assertThat(registry.pushRepository("web", "hello"))
        .isEqualTo("registry.example:5000/sites/web/hello");
    assertThat(registry.pullRepository("web", "hello")).isEqualTo("localhost:5000/sites/web/hello");
    assertThat(registry.insecure()).isTrue();
    assertThat(registry.credentialsSecret()).contains("push-creds");
    assertThat(config.imagePullSecrets()).containsExactly("a", "b");
    assertThat(OperatorConfig.from(Map.of("TINYSTATIC_SERVER_IMAGE", "i")).registry()).isEmpty();

    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    Map.of("TINYSTATIC_SERVER_IMAGE", "i", "TINYSTATIC_REGISTRY_INSECURE", "true")))
        .hasMessage("TINYSTATIC_REGISTRY_INSECURE is set but TINYSTATIC_REGISTRY is not");
    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    Map.of(
                        "TINYSTATIC_SERVER_IMAGE",
                        "i",
                        "TINYSTATIC_REGISTRY",
                        "http://registry.example/sites")))
        .hasMessageContaining("without a scheme");
    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    Map.of(
                        "TINYSTATIC_SERVER_IMAGE", "i", "TINYSTATIC_REGISTRY", "registry.example")))
        .hasMessageContaining("needs a repository path");
  }
}
