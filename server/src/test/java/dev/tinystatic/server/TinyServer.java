package dev.tinystatic.server;

import static org.awaitility.Awaitility.await;

import dev.tinystatic.server.ServerBinary.Arch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real tinyhttpd binary (from this module's resources) as a process on a free 127.0.0.1 port.
 */
final class TinyServer implements AutoCloseable {

  static final Path WORK =
      Path.of(System.getProperty("tinystatic.test.work", "target/test-work")).toAbsolutePath();

  final Process process;
  final int port;
  final Path log;
  private final List<ProcessHandle> family = new ArrayList<>();

  private TinyServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  private static final java.util.Map<Arch, Path> EXTRACTED = new java.util.EnumMap<>(Arch.class);

  /** The binary for arch from this module's resources, extracted once per test JVM. */
  static synchronized Path binary(Arch arch) throws IOException {
    Path bin = EXTRACTED.get(arch);
    if (bin == null) {
      bin = ServerBinary.extract(arch, WORK.resolve("bin/" + arch.goArch() + "/tinyhttpd"));
      EXTRACTED.put(arch, bin);
    }
    return bin;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /**
   * The binary the HTTP tests run: this build's, or the one named by the system property {@code
   * tinystatic.server.binary} (the sanitizer build of the same source, or an older binary to
   * compare with).
   */
  static Path binary() throws IOException {
    String other = System.getProperty("tinystatic.server.binary", "");
    if (other.isEmpty()) {
      return binary(Arch.host());
    }
    Path bin = Path.of(other).toAbsolutePath();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(bin),
        "no " + bin + " (the sanitizer build needs libasan8 and libubsan1: apt-get install them)");
    return bin;
  }

  /** Runs {@code tinyhttpd [options...] -p PORT -d docroot}. */
  static TinyServer start(Path docroot, String... options) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(binary().toString()));
    cmd.addAll(List.of(options));
    return start(cmd, docroot);
  }

  /** Runs {@code command -p PORT -d docroot} and waits until the port accepts connections. */
  static TinyServer start(List<String> command, Path docroot) throws IOException {
    return start(command, docroot, "127.0.0.1");
  }

  /** The same, waiting for the port on the given host (what an -a option binds). */
  static TinyServer start(List<String> command, Path docroot, String host) throws IOException {
    int port = freePort();
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(List.of("-p", String.valueOf(port), "-d", docroot.toString()));
    Files.createDirectories(WORK.resolve("logs"));
    Path log = Files.createTempFile(WORK.resolve("logs"), "tinyhttpd-" + port + "-", ".log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    TinyServer server = new TinyServer(p, port, log);
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new IllegalStateException(
                      "tinyhttpd exited " + p.exitValue() + ": " + Files.readString(log));
                }
                try (Socket s = new Socket(host, port)) {
                  return true;
                } catch (IOException e) {
                  return false;
                }
              });
      // all workers: the first process forks one per CPU at start-up
      server.family.addAll(p.descendants().toList());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The processes of this server: the first one and the workers it forked. */
  List<ProcessHandle> processes() {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(process.toHandle());
    all.addAll(process.descendants().toList());
    return all;
  }

  /** Sends SIGTERM to the first process (as Kubernetes and podman stop do). */
  void terminate() {
    process.destroy();
  }

  /** Waits for the exit code. */
  int waitFor(Duration max) throws InterruptedException {
    if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("tinyhttpd still running after " + max);
    }
    return process.exitValue();
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  /**
   * Ends every process of this server, by PID: SIGTERM, then SIGKILL after the drain bound. Then
   * fails if the server reported a fault on its output (the sanitizer build reports there).
   */
  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>(family);
    all.addAll(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(12, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    assertNoSanitizerReport(log);
  }

  /** AddressSanitizer and UBSan write "ERROR: AddressSanitizer", "runtime error:"... */
  static void assertNoSanitizerReport(Path log) {
    String out;
    try {
      out = Files.readString(log);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (out.contains("Sanitizer") || out.contains("runtime error")) {
      throw new AssertionError("tinyhttpd reported a fault (" + log + "):\n" + out);
    }
  }
}
