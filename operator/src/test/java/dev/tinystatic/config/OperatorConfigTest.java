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
  }

  @Test
  void readsEveryVariable() {
    var config = OperatorConfig.from(Map.of(
        "TINYSTATIC_WATCH_NAMESPACES", " web, docs ,",
        "TINYSTATIC_SERVER_IMAGE", "registry.example/server:2",
        "TINYSTATIC_SERVER_SIDE_APPLY", "false",
        "TINYSTATIC_LEADER_ELECTION", "yes",
        "TINYSTATIC_NAMESPACE", "ops",
        "TINYSTATIC_HEALTH_PORT", "9000"));
    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("web", "docs");
    assertThat(config.serverSideApply()).isFalse();
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.namespace()).isEqualTo("ops");
    assertThat(config.healthPort()).isEqualTo(9000);
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> OperatorConfig.from(Map.of("TINYSTATIC_WATCH_NAMESPACES", "Web_1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TINYSTATIC_WATCH_NAMESPACES: 'Web_1'");
    assertThatThrownBy(() -> OperatorConfig.from(Map.of("TINYSTATIC_SERVER_IMAGE", "i", "TINYSTATIC_LEADER_ELECTION", "maybe")))
        .hasMessageContaining("TINYSTATIC_LEADER_ELECTION: expected true or false, got 'maybe'");
    assertThatThrownBy(() -> OperatorConfig.from(Map.of("TINYSTATIC_SERVER_IMAGE", "i", "TINYSTATIC_HEALTH_PORT", "70000")))
        .hasMessageContaining("TINYSTATIC_HEALTH_PORT: expected a port 0-65535");
  }

  @Test
  void theDefaultServerImageIsTheOneBuiltWithThisOperator() {
    assertThat(OperatorConfig.from(Map.of()).serverImage()).startsWith("tinystatic/server:");
  }
}
