package dev.tinystatic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code dev} looks for an engine and what it says when none answers, in a fake file system
 * root with real sockets: engines answering (a small fake API), stale sockets, none at all.
 */
class EngineSearchTest {

  @TempDir Path dir;

  private Path root() {
    return dir.resolve("root");
  }

  private Path xdg() {
    return dir.resolve("xdg");
  }

  private Map<String, String> rootless() {
    return Map.of("XDG_RUNTIME_DIR", xdg().toString());
  }

  @Test
  void dockersOwnSocketFirstThenRootlessDockerThenPodmanRootfulAndRootless() {
    assertThat(EngineSearch.places(rootless(), root()))
        .containsExactly(
            URI.create("unix://" + root() + "/var/run/docker.sock"),
            URI.create("unix://" + xdg() + "/docker.sock"),
            URI.create("unix://" + root() + "/run/podman/podman.sock"),
            URI.create("unix://" + xdg() + "/podman/podman.sock"));
    assertThat(EngineSearch.places(Map.of(), root()))
        .as("no XDG_RUNTIME_DIR, no rootless places")
        .containsExactly(
            URI.create("unix://" + root() + "/var/run/docker.sock"),
            URI.create("unix://" + root() + "/run/podman/podman.sock"));
  }

  @Test
  void dockerHostIsTheOnlyPlaceWhenSet() {
    assertThat(EngineSearch.places(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375"), root()))
        .containsExactly(URI.create("tcp://10.0.0.5:2375"));
  }

  @Test
  void rootfulPodmanIsFoundWhenDockerIsAbsent() throws Exception {
    try (var podman = FakeEngineApi.podman(root().resolve("run/podman/podman.sock"))) {
      var search = EngineSearch.run(rootless(), root());
      assertThat(search.engine()).get().hasToString("podman 4.3.1 at " + podman.host());
      search.engine().get().close();
    }
  }

  @Test
  void dockerWinsWhenBothRun() throws Exception {
    try (var docker = FakeEngineApi.docker(root().resolve("var/run/docker.sock"));
        var podman = FakeEngineApi.podman(root().resolve("run/podman/podman.sock"))) {
      var search = EngineSearch.run(rootless(), root());
      assertThat(search.engine()).get().hasToString("Docker 28.2.2 at " + docker.host());
      assertThat(podman.requests).isEmpty();
      search.engine().get().close();
    }
  }

  @Test
  void aStaleRootfulSocketIsPassedForRootlessPodmanThatAnswers() throws Exception {
    FakeEngineApi.staleSocket(root().resolve("run/podman/podman.sock"));
    try (var rootlessPodman = FakeEngineApi.podman(xdg().resolve("podman/podman.sock"))) {
      var search = EngineSearch.run(rootless(), root());
      assertThat(search.engine()).get().hasToString("podman 4.3.1 at " + rootlessPodman.host());
      search.engine().get().close();
    }
  }

  @Test
  void withNoEngineItSaysWhatEachPlaceHadAndHowToStartOne() throws Exception {
    Path stale = FakeEngineApi.staleSocket(root().resolve("run/podman/podman.sock"));
    var search = EngineSearch.run(rootless(), root());
    assertThat(search.engine()).isEmpty();
    assertThat(search.noEngineMessage())
        .isEqualTo(
            "Neither Docker nor podman answers here (no socket at "
                + root().resolve("var/run/docker.sock")
                + ", "
                + xdg().resolve("docker.sock")
                + " or "
                + xdg().resolve("podman/podman.sock")
                + "; "
                + stale
                + " exists but does not answer (Connection refused)),"
                + " so `tinystatic dev` cannot start k3s.\n"
                + EngineSearch.HOW_TO_START);
  }

  @Test
  void aDockerHostThatDoesNotAnswerIsNamedAndNothingElseIsTried() throws Exception {
    try (var docker = FakeEngineApi.docker(root().resolve("var/run/docker.sock"))) {
      String nowhere = "unix://" + dir.resolve("nowhere.sock");
      var search = EngineSearch.run(Map.of("DOCKER_HOST", nowhere), root());
      assertThat(search.engine()).isEmpty();
      assertThat(docker.requests).isEmpty();
      assertThat(search.noEngineMessage())
          .isEqualTo(
              "DOCKER_HOST="
                  + nowhere
                  + " names no engine that answers (no socket at "
                  + dir.resolve("nowhere.sock")
                  + "), so `tinystatic dev` cannot start k3s.\n"
                  + "Start the engine it names, or unset DOCKER_HOST to let dev look for Docker"
                  + " and podman in their usual places.");
    }
  }
}
