package dev.tinystatic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinystatic.server.Podman;
import dev.tinystatic.server.ServerBinary;
import dev.tinystatic.server.ServerBinary.Arch;
import dev.tinystatic.server.ServerImage;
import dev.tinystatic.testing.LocalRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tinystatic bake}: an OCI archive that podman runs, and a push to a real registry. */
@Timeout(180)
class BakeCommandTest {

  static final Path HELLO = Path.of("..", "deploy", "examples", "hello.yaml");

  @TempDir Path dir;

  @Test
  void bakesAnOciArchiveThatRunsInPodmanWithNoVolume() throws Exception {
    Podman podman = Podman.available(dir.resolve("podman"));
    Path archive = dir.resolve("hello.tar");
    String digest;
    try (var cli = CliProcess.start("bake", HELLO.toString(), "--to", "oci-archive:" + archive)) {
      assertThat(cli.waitFor()).as(cli.output()).isZero();
      digest = digestOf(cli);
      for (Arch arch : ServerImage.platforms()) {
        assertThat(cli.output())
            .containsPattern(arch.platform() + "\\s+[0-9,]+ bytes: config [0-9,]+ \\+ layers");
      }
    }
    String name = "tinystatic-bake-" + ProcessHandle.current().pid();
    int port = ServeCommandTest.freePort();
    podman.ok("load", "-i", archive.toString());
    try {
      podman.runLikeAPod(name, port, 8080, "localhost/tinystatic/hello:latest");
      var http = HttpClient.newHttpClient();
      var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(
              () -> http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
      assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).body())
          .contains("Hello from TinyStatic");
      assertThat(
              podman
                  .ok(
                      "image",
                      "inspect",
                      "--format",
                      "{{.Digest}}",
                      "localhost/tinystatic/hello:latest")
                  .out())
          .isEqualTo(digest);
    } finally {
      podman.run("rm", "-f", name);
      podman.run("rmi", "-f", "localhost/tinystatic/hello:latest");
    }
  }

  @Test
  void bakesThePlatformsAskedFor() throws Exception {
    assumeTrue(ServerBinary.isAvailable(Arch.ARM64), "no arm64 server in this build");
    Path both = dir.resolve("both.tar");
    Path arm = dir.resolve("arm.tar");
    String bothDigest;
    try (var cli = CliProcess.start("bake", HELLO.toString(), "--to", "oci-archive:" + both)) {
      assertThat(cli.waitFor()).as(cli.output()).isZero();
      bothDigest = digestOf(cli);
    }
    try (var cli =
        CliProcess.start(
            "bake", HELLO.toString(), "--platform", "linux/arm64", "--to", "oci-archive:" + arm)) {
      assertThat(cli.waitFor()).as(cli.output()).isZero();
      assertThat(digestOf(cli)).isNotEqualTo(bothDigest);
      assertThat(cli.output()).contains("linux/arm64").doesNotContain("linux/amd64");
    }
    try (var cli =
        CliProcess.start(
            "bake",
            HELLO.toString(),
            "--platform",
            "linux/amd64,linux/arm64",
            "--to",
            "oci-archive:" + dir.resolve("again.tar"))) {
      assertThat(cli.waitFor()).as(cli.output()).isZero();
      assertThat(digestOf(cli)).as("both is the default").isEqualTo(bothDigest);
    }
    try (var cli =
        CliProcess.start(
            "bake", HELLO.toString(), "--platform", "linux/s390x", "--to", "oci-archive:x.tar")) {
      assertThat(cli.waitFor()).isEqualTo(ExitCodes.USAGE);
      assertThat(cli.output()).contains("unsupported architecture: s390x");
    }
  }

  @Test
  void pushesToARegistryWithTheTagAskedForOrTheContentTag() throws Exception {
    try (var registry = LocalRegistry.start(dir.resolve("registry"))) {
      String repository = registry.address() + "/sites/hello";
      String digest;
      try (var cli = CliProcess.start("bake", HELLO.toString(), "--to", repository, "--insecure")) {
        assertThat(cli.waitFor()).as(cli.output()).isZero();
        digest = digestOf(cli);
        assertThat(cli.output())
            .contains("baked " + repository + ":content-")
            .doesNotContain("had it already");
      }
      try (var cli = CliProcess.start("bake", HELLO.toString(), "--to", repository, "--insecure")) {
        assertThat(cli.waitFor()).isZero();
        assertThat(digestOf(cli)).isEqualTo(digest);
        assertThat(cli.output())
            .as("the same site is not pushed twice")
            .contains("(the registry had it already)");
      }
      try (var cli =
          CliProcess.start("bake", HELLO.toString(), "--to", repository + ":v2", "--insecure")) {
        assertThat(cli.waitFor()).isZero();
        assertThat(digestOf(cli)).isEqualTo(digest);
        assertThat(cli.output()).contains("baked " + repository + ":v2");
      }
      assertThat(registry.get("/v2/sites/hello/tags/list", null).body())
          .asString()
          .contains("\"v2\"")
          .contains("\"content-")
          .doesNotContain("latest");
    }
  }

  /** The index digest the command printed. */
  static String digestOf(CliProcess cli) throws Exception {
    String line = cli.awaitLine("digest", Duration.ZERO);
    assertThat(line).matches("\\s*digest sha256:[0-9a-f]{64} \\(index\\)");
    return line.replaceAll(".*digest (sha256:[0-9a-f]{64}).*", "$1");
  }

  @Test
  void anUnreachableRegistryFailsWithItsName() throws Exception {
    try (var cli =
        CliProcess.start(
            "bake", HELLO.toString(), "--to", "127.0.0.1:1/sites/hello", "--insecure")) {
      assertThat(cli.waitFor()).isEqualTo(ExitCodes.FAILED);
      assertThat(cli.output()).contains("tinystatic bake failed: registry 127.0.0.1:1");
    }
  }
}
