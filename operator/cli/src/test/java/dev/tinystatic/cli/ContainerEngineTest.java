package dev.tinystatic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code dev} learns from an engine's API over a real unix socket, and what it sets. */
class ContainerEngineTest {

  @TempDir Path dir;

  @Test
  void podmansServiceIsToldFromDockerByItsVersionAnswer() throws Exception {
    try (var api = FakeEngineApi.podman(dir.resolve("podman.sock"));
        var engine = ContainerEngine.connect(api.host())) {
      assertThat(engine.isPodman()).isTrue();
      assertThat(engine.cli()).isEqualTo("podman");
      assertThat(engine).hasToString("podman 4.3.1 at " + api.host());
      assertThat(api.requests).containsExactly("GET /version");
    }
  }

  @Test
  void dockerIsNamedWithItsVersion() throws Exception {
    try (var api = FakeEngineApi.docker(dir.resolve("docker.sock"));
        var engine = ContainerEngine.connect(api.host())) {
      assertThat(engine.isPodman()).isFalse();
      assertThat(engine.cli()).isEqualTo("docker");
      assertThat(engine).hasToString("Docker 28.2.2 at " + api.host());
    }
  }

  @Test
  void aSocketNothingListensOnIsRefused() throws Exception {
    Path stale = FakeEngineApi.staleSocket(dir.resolve("stale.sock"));
    assertThatThrownBy(() -> ContainerEngine.connect(URI.create("unix://" + stale)))
        .isInstanceOf(IOException.class)
        .hasMessage("Connection refused");
  }

  @Test
  void aServerThatNeverAnswersIsGivenUpAfterTenSeconds() throws Exception {
    try (var api = FakeEngineApi.silent(dir.resolve("silent.sock"))) {
      assertThatThrownBy(() -> ContainerEngine.connect(api.host()))
          .isInstanceOf(IOException.class)
          .hasMessage("nothing came in 10 s");
    }
  }

  @Test
  void anotherServiceIsNotTakenForAnEngine() throws Exception {
    try (var api = FakeEngineApi.notAnEngine(dir.resolve("other.sock"))) {
      assertThatThrownBy(() -> ContainerEngine.connect(api.host()))
          .isInstanceOf(IOException.class)
          .hasMessage("not Docker's API: /version has no ApiVersion");
    }
  }

  @Test
  void aMissingImageIsSeenAndAFailedPullGivesTheEnginesReason() throws Exception {
    try (var api = FakeEngineApi.podman(dir.resolve("podman.sock"));
        var engine = ContainerEngine.connect(api.host())) {
      assertThat(engine.hasImage(DevCommand.K3S_IMAGE)).isFalse();
      assertThatThrownBy(() -> engine.pull(DevCommand.K3S_IMAGE))
          .isInstanceOf(IOException.class)
          .hasMessage(FakeEngineApi.PULL_ERROR);
      assertThat(api.requests)
          .containsExactly(
              "GET /version",
              "GET /images/rancher/k3s:v1.31.4-k3s1/json",
              "POST /images/create?fromImage=rancher%2Fk3s%3Av1.31.4-k3s1");
    }
  }

  @Test
  void podmanGetsTheSettingsTestcontainersNeedsForIt() throws Exception {
    try (var api = FakeEngineApi.podman(dir.resolve("podman.sock"));
        var engine = ContainerEngine.connect(api.host())) {
      assertThat(engine.testcontainersEnvironment())
          .containsExactly(
              Map.entry("DOCKER_HOST", api.host().toString()),
              Map.entry("TESTCONTAINERS_RYUK_DISABLED", "true"),
              Map.entry("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1"));
    }
  }

  @Test
  void dockerOnAnotherSocketGetsOnlyItsAddress() throws Exception {
    try (var api = FakeEngineApi.docker(dir.resolve("docker.sock"));
        var engine = ContainerEngine.connect(api.host())) {
      assertThat(engine.testcontainersEnvironment())
          .containsExactly(Map.entry("DOCKER_HOST", api.host().toString()));
    }
  }

  @Test
  void settingsTheUserMadeAreKept() throws Exception {
    try (var api = FakeEngineApi.podman(dir.resolve("podman.sock"));
        var engine = ContainerEngine.connect(api.host())) {
      Map<String, String> env =
          Map.of("DOCKER_HOST", api.host().toString(), "TESTCONTAINERS_RYUK_DISABLED", "false");
      assertThat(engine.missingFrom(env))
          .containsExactly(Map.entry("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1"));
      assertThat(
              engine.missingFrom(
                  Map.of(
                      "DOCKER_HOST",
                      api.host().toString(),
                      "TESTCONTAINERS_RYUK_DISABLED",
                      "true",
                      "TESTCONTAINERS_HOST_OVERRIDE",
                      "10.0.0.1")))
          .isEmpty();
    }
  }
}
