package dev.tinystatic.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real containers with podman + runc as root, in a private store, with the project's
 * containers.conf (cgroupfs, no default ulimits; see TOOLCHAIN.md). Skips the calling test where
 * podman or runc is absent. Shared with the operator's tests through this module's test jar.
 */
public final class Podman {

  static final Path PODMAN = Path.of("/usr/bin/podman");
  static final Path RUNC = Path.of("/usr/sbin/runc");

  private final Path store;
  private final Path runroot;
  private final Path containersConf;

  private Podman(Path store, Path runroot, Path containersConf) {
    this.store = store;
    this.runroot = runroot;
    this.containersConf = containersConf;
  }

  /** A podman keeping its images and containers under {@code store}; skips the test without one. */
  public static Podman available(Path store) throws IOException {
    assumeTrue(
        Files.isExecutable(PODMAN),
        "podman is not installed (apt-get install podman runc; .ci/run does)");
    assumeTrue(
        Files.isExecutable(RUNC), "runc is not installed (apt-get install runc; .ci/run does)");
    Files.createDirectories(store);
    Path conf = store.resolve("containers.conf");
    try (InputStream in = Podman.class.getResourceAsStream("/containers.conf")) {
      Files.copy(in, conf, StandardCopyOption.REPLACE_EXISTING);
    }
    // podman refuses a runroot path longer than 50 characters, which a checkout's target/
    // easily exceeds: keep the run state in a short directory, removed at exit. Its name
    // follows from the store's, because the store records it and refuses any other later.
    String id = Integer.toHexString(store.toAbsolutePath().normalize().toString().hashCode());
    Path runroot = Files.createDirectories(Path.of("/tmp", "tsp-" + id));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(runroot), "podman-runroot"));
    return new Podman(store, runroot, conf);
  }

  /** What podman printed (stdout and stderr) and its exit code. */
  public record Result(int code, String out) {}

  public Result run(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                PODMAN.toString(),
                "--runtime",
                RUNC.toString(),
                "--root",
                store.resolve("root").toString(),
                "--runroot",
                runroot.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("CONTAINERS_CONF", containersConf.toString());
    Process process = builder.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("podman " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8).trim());
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover directory under /tmp is harmless
    }
  }

  /**
   * Starts {@code image} detached and locked down as a pod of the chart runs (read-only root file
   * system, no capabilities, no privilege gain), its {@code containerPort} published on
   * 127.0.0.1:{@code hostPort}; {@code options} (e.g. --user, --arch) go before the image.
   */
  public Result runLikeAPod(
      String name, int hostPort, int containerPort, String image, String... options)
      throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "-d",
                "--name",
                name,
                "-p",
                "127.0.0.1:" + hostPort + ":" + containerPort,
                "--read-only",
                "--cap-drop=ALL",
                "--security-opt",
                "no-new-privileges"));
    args.addAll(List.of(options));
    args.add(image);
    return ok(args.toArray(String[]::new));
  }

  /** Runs podman and expects it to succeed. */
  public Result ok(String... args) throws IOException, InterruptedException {
    Result result = run(args);
    assertThat(result.code()).as("podman " + String.join(" ", args) + ": " + result.out()).isZero();
    return result;
  }
}
