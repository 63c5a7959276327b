package dev.tinystatic.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * podman's Docker-compatible API service, the real one, on a private socket with a private store,
 * run as the server module's container tests run podman (runc, and its containers.conf: cgroupfs,
 * no default ulimits; see TOOLCHAIN.md). The vfs storage driver leaves no mount behind in the
 * test's directory (overlay keeps one after the service ends). Its registries.conf sends docker.io
 * to a closed port, so no pull reaches the internet on any machine. Skips the calling test where
 * podman or runc is absent.
 */
final class PodmanService implements AutoCloseable {

  private static final Path PODMAN = Path.of("/usr/bin/podman");
  private static final Path RUNC = Path.of("/usr/sbin/runc");

  private final Process process;
  private final Path socket;
  private final Path runroot;

  private PodmanService(Process process, Path socket, Path runroot) {
    this.process = process;
    this.socket = socket;
    this.runroot = runroot;
  }

  static PodmanService start(Path dir) throws IOException, InterruptedException {
    assumeTrue(
        Files.isExecutable(PODMAN),
        "podman is not installed (apt-get install podman runc; .ci/run does)");
    assumeTrue(
        Files.isExecutable(RUNC), "runc is not installed (apt-get install runc; .ci/run does)");
    Path conf = dir.resolve("containers.conf");
    try (InputStream in = PodmanService.class.getResourceAsStream("/containers.conf")) {
      Files.copy(in, conf);
    }
    Path registries =
        Files.writeString(
            dir.resolve("registries.conf"),
            """
            [[registry]]
            prefix = "docker.io"
            location = "127.0.0.1:1"
            """);
    // podman refuses a run root path longer than 50 characters
    Path runroot = Files.createTempDirectory(Path.of("/tmp"), "tsdev-");
    Path socket = dir.resolve("podman.sock");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    PODMAN.toString(),
                    "--runtime",
                    RUNC.toString(),
                    "--storage-driver",
                    "vfs",
                    "--root",
                    dir.resolve("store").toString(),
                    "--runroot",
                    runroot.toString(),
                    "system",
                    "service",
                    "--time=0",
                    "unix://" + socket))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("service.log").toFile());
    builder.environment().put("CONTAINERS_CONF", conf.toString());
    builder.environment().put("CONTAINERS_REGISTRIES_CONF", registries.toString());
    var service = new PodmanService(builder.start(), socket, runroot);
    service.awaitAnswer(dir.resolve("service.log"));
    return service;
  }

  URI host() {
    return URI.create("unix://" + socket);
  }

  private void awaitAnswer(Path log) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      if (Files.exists(socket)) {
        try (var engine = ContainerEngine.connect(host())) {
          return;
        } catch (IOException notYet) {
          // still starting
        }
      }
      Thread.sleep(100);
    }
    close();
    throw new IOException("podman system service did not answer: " + Files.readString(log));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    try (Stream<Path> paths = Files.walk(runroot)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover directory under /tmp is harmless
    }
  }
}
