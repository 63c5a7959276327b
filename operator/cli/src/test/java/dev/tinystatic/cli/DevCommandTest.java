package dev.tinystatic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;

/**
 * {@code tinystatic dev}: where Docker runs, the whole embedded flow up to a URL that answers;
 * where it does not, one sentence that points to {@code serve}, and exit code 4.
 */
class DevCommandTest {

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  @Test
  @DisabledIf(
      value = "dockerAvailable",
      disabledReason = "Docker is available: the real dev flow runs instead")
  void withoutDockerItSaysSoAndPointsToServe() throws Exception {
    try (var cli = CliProcess.start("dev")) {
      assertThat(cli.waitFor()).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(cli.output()).isEqualTo(DevCommand.NO_DOCKER);
    }
  }

  @Test
  @Timeout(600)
  @EnabledIf(
      value = "dockerAvailable",
      disabledReason = "Docker is not available: k3s cannot start here")
  void startsK3sAndTheOperatorAndPrintsAUrlThatAnswers() throws Exception {
    try (var cli = CliProcess.start("dev")) {
      String line = cli.awaitLine("hello: http://127.0.0.1:", Duration.ofMinutes(8));
      assertThat(cli.output())
          .contains("[1/6] starting k3s")
          .contains("[6/6] waiting for 1 site(s) to be Ready ... done");
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
}
