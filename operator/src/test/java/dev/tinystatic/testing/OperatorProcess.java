package dev.tinystatic.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.runtime.RunningOperator;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator as its own JVM process, as it runs in its pod: its real main, configured by
 * environment variables, a kubeconfig of its own, text logs in a file, SIGTERM to stop it.
 */
public final class OperatorProcess implements AutoCloseable {

  private final String identity;
  private final Process process;
  private final Path log;
  private final int managementPort;

  private OperatorProcess(String identity, Process process, Path log, int managementPort) {
    this.identity = identity;
    this.process = process;
    this.log = log;
    this.managementPort = managementPort;
  }

  /**
   * Starts the operator as {@code identity} (its pod name, the Lease holder) against the cluster of
   * {@code kubeconfig}, with {@code env} (TINYSTATIC_* settings), logging into {@code dir}.
   */
  public static OperatorProcess start(
      String identity, Path kubeconfig, Map<String, String> env, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path log = dir.resolve(identity + ".log");
    int port = freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                // the operator's own logging setup, not the tests' logback-test.xml
                "-Dlogback.configurationFile="
                    + Path.of("target", "classes", "logback.xml").toAbsolutePath(),
                RunningOperator.class.getName()));
    var builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    var environment = builder.environment();
    environment.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    environment.put("HOSTNAME", identity);
    environment.put("TINYSTATIC_LOG_FORMAT", "text");
    environment.put("TINYSTATIC_HEALTH_PORT", Integer.toString(port));
    environment.putAll(env);
    return new OperatorProcess(identity, builder.start(), log, port);
  }

  public String identity() {
    return identity;
  }

  /** Waits until the operator says it started (its informers run); fails if it exits first. */
  public OperatorProcess awaitStarted(Duration timeout) throws Exception {
    awaitLog("operator started", timeout);
    return this;
  }

  /** Waits for a log line containing {@code text}. */
  public void awaitLog(String text, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!log().contains(text)) {
      if (!process.isAlive()) {
        throw new AssertionError(
            identity + " exited with " + process.exitValue() + " before '" + text + "':\n" + log());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(identity + " never logged '" + text + "':\n" + log());
      }
      Thread.sleep(100);
    }
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** GET on the management port ({@code /readyz}, {@code /metrics} ...). */
  public HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** Every log line that reports a refusal by the API server (403 / Forbidden). */
  public List<String> forbidden() throws IOException {
    return forbidden(log());
  }

  private static final java.util.regex.Pattern REFUSAL_CODE =
      java.util.regex.Pattern.compile("(?<![\\w.:])403(?![\\w.])");

  /**
   * Every line of an operator's log that reports a refusal by the API server (403 / Forbidden), for
   * a log read elsewhere (the operator's pod).
   */
  public static List<String> forbidden(String log) {
    return log.lines()
        .filter(
            // 403 as a status, not inside a number, a digest or a time (a health port such as
            // 40333, sha256:...024036a..., 19:13:06.403)
            l ->
                REFUSAL_CODE.matcher(l).find()
                    || l.toLowerCase(java.util.Locale.ROOT).contains("forbidden"))
        .toList();
  }

  /** No request of this operator was refused for lack of a permission. */
  public void assertNoForbidden() throws IOException {
    assertThat(forbidden()).as("refused requests in the log of %s", identity).isEmpty();
  }

  /** SIGTERM, as the kubelet stops a pod; waits for the exit and returns its code. */
  public int terminate(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(identity + " did not stop within " + grace + " of SIGTERM");
    }
    return process.exitValue();
  }

  /**
   * SIGTERM, and checks the stop was graceful: reconciliations finished, the Lease handed over, the
   * JVM's exit code for SIGTERM (143) or 0.
   */
  public void stopGracefully() throws Exception {
    int code = terminate(Duration.ofSeconds(40));
    assertThat(code).as("exit code after SIGTERM").isIn(0, 143);
    assertThat(log()).as("the log of %s", identity).contains("stopped");
  }

  /** SIGKILL: a crash, or a node gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
