package dev.tinystatic.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real containers with podman + runc as root, in a private store under {@code target/}, with the
 * project's containers.conf (see TOOLCHAIN.md). Skips the calling test where podman is absent.
 */
public final class Podman {

  static final Path PODMAN = Path.of("/usr/bin/podman");
  static final Path RUNC = Path.of("/usr/sbin/runc");
  static final Path CONTAINERS_CONF = Path.of("..", "server", "src", "test", "resources", "containers.conf");

  private final Path store;

  private Podman(Path store) {
    this.store = store;
  }

  public static Podman available(Path store) {
    assumeTrue(Files.isExecutable(PODMAN), "podman is not installed (apt-get install podman runc; .ci/run does)");
    assumeTrue(Files.isExecutable(RUNC), "runc is not installed (apt-get install runc; .ci/run does)");
    return new Podman(store);
  }

  public record Result(int code, String out) {}

  public Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PODMAN.toString(), "--runtime", RUNC.toString(),
        "--root", store.resolve("root").toString(), "--runroot", store.resolve("runroot").toString()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("CONTAINERS_CONF", CONTAINERS_CONF.toAbsolutePath().normalize().toString());
    Process process = builder.start();
    var out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("podman " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8).trim());
  }

  /** Runs podman and expects it to succeed. */
  public Result ok(String... args) throws IOException, InterruptedException {
    Result result = run(args);
    assertThat(result.code()).as("podman " + String.join(" ", args) + ": " + result.out()).isZero();
    return result;
  }
}
