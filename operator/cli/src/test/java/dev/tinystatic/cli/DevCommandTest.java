package dev.tinystatic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tinystatic dev} through its real entry point (a separate JVM): where an engine with the
 * k3s image runs, the whole embedded flow up to a URL that answers; on real podman (a private API
 * service) and on a small fake of podman's API, that it names podman, runs again with what
 * Testcontainers needs, and fails cleanly on the k3s image it cannot pull; with no engine, what it
 * says, and exit code 4.
 */
class DevCommandTest {

  private static final String PULL_FAILED =
      " ... pulling " + DevCommand.K3S_IMAGE + " ... failed after ";

  @TempDir Path dir;

  /** The test's environment without DOCKER_HOST: dev looks in the usual places. */
  private static Map<String, String> usualPlaces() {
    Map<String, String> env = new HashMap<>();
    env.put("DOCKER_HOST", null);
    return env;
  }

  static boolean anEngineAnswersHere() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("DOCKER_HOST");
    Optional<ContainerEngine> engine = EngineSearch.run(env, Path.of("/")).engine();
    engine.ifPresent(ContainerEngine::close);
    return engine.isPresent();
  }

  @Test
  @DisabledIf(
      value = "anEngineAnswersHere",
      disabledReason = "Docker or podman answers here: the real dev flow runs instead")
  void withNoEngineItSaysSoHowToStartOneAndPointsToServe() throws Exception {
    try (var cli = CliProcess.start(usualPlaces(), "dev")) {
      assertThat(cli.waitFor()).as(cli::output).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(cli.lines).hasSize(3);
      assertThat(cli.lines.get(0))
          .startsWith("Neither Docker nor podman answers here (no socket at /var/run/docker.sock")
          .endsWith("), so `tinystatic dev` cannot start k3s.");
      assertThat(cli.lines.get(1)).isEqualTo(EngineSearch.HOW_TO_START);
      assertThat(cli.lines.get(2)).isEqualTo(DevCommand.SERVE_INSTEAD);
    }
  }

  @Test
  void aDockerHostThatDoesNotAnswerIsNamed() throws Exception {
    Path stale = FakeEngineApi.staleSocket(dir.resolve("engine.sock"));
    try (var cli = CliProcess.start(Map.of("DOCKER_HOST", "unix://" + stale), "dev")) {
      assertThat(cli.waitFor()).as(cli::output).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(cli.output())
          .startsWith(
              "DOCKER_HOST=unix://"
                  + stale
                  + " names no engine that answers ("
                  + stale
                  + " exists but does not answer (Connection refused))")
          .contains("unset DOCKER_HOST")
          .endsWith(DevCommand.SERVE_INSTEAD);
    }
  }

  @Test
  void onPodmansApiItRunsAgainWithTestcontainersSettingsAndNamesTheImageItCannotPull()
      throws Exception {
    try (var api = FakeEngineApi.podman(dir.resolve("podman.sock"));
        var cli = CliProcess.start(Map.of("DOCKER_HOST", api.host().toString()), "dev")) {
      assertThat(cli.waitFor()).as(cli::output).isEqualTo(ExitCodes.UNAVAILABLE);
      String podman = "podman 4.3.1 at " + api.host();
      assertThat(cli.lines.get(0))
          .isEqualTo(
              podman
                  + ": Testcontainers reads its settings from the environment only, so dev runs"
                  + " again with TESTCONTAINERS_RYUK_DISABLED=true"
                  + " TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1");
      assertThat(cli.lines.get(1)).startsWith("[1/6] starting k3s (" + podman + ")" + PULL_FAILED);
      assertThat(cli.lines.get(2))
          .isEqualTo(
              podman
                  + " cannot pull rancher/k3s:v1.31.4-k3s1 ("
                  + FakeEngineApi.PULL_ERROR
                  + "), so `tinystatic dev` cannot start k3s.");
      assertThat(cli.lines.get(3))
          .contains("`podman pull docker.io/rancher/k3s:v1.31.4-k3s1`")
          .contains("`podman load -i k3s.tar`");
      assertThat(cli.lines.get(4)).isEqualTo(DevCommand.SERVE_INSTEAD);
      assertThat(api.requests)
          .as("the second JVM asks again, then looks for the image and pulls it once")
          .containsExactly(
              "GET /version",
              "GET /version",
              "GET /images/rancher/k3s:v1.31.4-k3s1/json",
              "POST /images/create?fromImage=rancher%2Fk3s%3Av1.31.4-k3s1");
    }
  }

  @Test
  @Timeout(180)
  void onRealPodmanItNamesPodmanAndFailsCleanlyOnTheK3sImageItCannotPull() throws Exception {
    try (var podman = PodmanService.start(dir);
        var cli = CliProcess.start(Map.of("DOCKER_HOST", podman.host().toString()), "dev")) {
      assertThat(cli.waitFor()).as(cli::output).isEqualTo(ExitCodes.UNAVAILABLE);
      String at = " at " + podman.host();
      assertThat(cli.lines.get(0))
          .matches("podman \\d+\\.\\d+\\.\\d+" + at + ": Testcontainers reads .*")
          .endsWith("TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1");
      assertThat(cli.lines.get(1))
          .matches("\\[1/6] starting k3s \\(podman [0-9.]+" + at + "\\) \\.\\.\\. pulling .*")
          .contains(PULL_FAILED);
      assertThat(cli.lines.get(2))
          .contains(at + " cannot pull rancher/k3s:v1.31.4-k3s1 (")
          .endsWith("), so `tinystatic dev` cannot start k3s.");
      assertThat(cli.lines.get(3)).contains("`podman pull docker.io/rancher/k3s:v1.31.4-k3s1`");
      assertThat(cli.lines.get(4)).isEqualTo(DevCommand.SERVE_INSTEAD);
      assertThat(cli.lines).hasSize(5);
    }
  }

  @Test
  @Timeout(900)
  void startsK3sAndTheOperatorAndPrintsAUrlThatAnswers() throws Exception {
    EngineSearch search = EngineSearch.run(System.getenv(), Path.of("/"));
    assumeTrue(search.engine().isPresent(), () -> "no engine: " + search.noEngineMessage());
    String engineName;
    try (ContainerEngine engine = search.engine().get()) {
      engineName = engine.toString();
      String missing = whyNoK3sImage(engine);
      assumeTrue(
          missing == null, () -> engine + " has no " + DevCommand.K3S_IMAGE + ": " + missing);
    }
    try (var cli = CliProcess.start("dev")) {
      String line = cli.awaitLine("hello: http://127.0.0.1:", Duration.ofMinutes(8));
      assertThat(cli.output())
          .contains("[1/6] starting k3s (" + engineName + ")")
          .contains("[6/6] waiting for 1 site(s) to be Ready ... done")
          .contains("kubectl: KUBECONFIG=");
      String url = line.substring(line.indexOf("http://"));
      var response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("Hello from TinyStatic");
    }
  }

  /** Null when the engine has the k3s image or pulls it now (as dev would), else why not. */
  private static String whyNoK3sImage(ContainerEngine engine) {
    try {
      if (!engine.hasImage(DevCommand.K3S_IMAGE)) {
        engine.pull(DevCommand.K3S_IMAGE);
      }
      return null;
    } catch (IOException e) {
      return "it cannot pull it (" + e.getMessage() + ")";
    }
  }
}
