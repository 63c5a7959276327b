package dev.tinystatic.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real OCI registry (CNCF distribution, Debian's {@code docker-registry}) on a free 127.0.0.1
 * port, with its config and storage under {@code target/}. Tests that need it are skipped, with the
 * reason, where the binary is not installed ({@code .ci/run} installs it).
 */
public final class LocalRegistry implements AutoCloseable {

  public static final Path BINARY = Path.of("/usr/bin/docker-registry");

  /** The user and password of {@link #startWithPassword}. */
  public static final String USER = "tester";

  public static final String PASSWORD = "s3cret";

  /** bcrypt (cost 4) of {@link #PASSWORD}, as distribution's htpasswd file wants it. */
  private static final String PASSWORD_BCRYPT =
      "$2b$04$ylXXGga7kzMFdRE.LheQNeGLB0eHa5GEPQ4/uscZqb2lSFAP4njUm";

  /** distribution's access log: {@code ... "METHOD URI HTTP/1.1" STATUS SIZE ...}. */
  private static final Pattern ACCESS_LOG =
      Pattern.compile("\"([A-Z]+) (\\S+) HTTP/1\\.1\" (\\d{3}) ");

  private final Process process;
  private final int port;
  private final Path log;
  private final boolean passwordProtected;

  private LocalRegistry(Process process, int port, Path log, boolean passwordProtected) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.passwordProtected = passwordProtected;
  }

  /** One request the registry answered, from its access log. */
  public record Request(String method, String uri, int status) {}

  /** Starts a registry, or skips the calling test when there is none on this machine. */
  public static LocalRegistry start(Path workDir) throws Exception {
    return start(workDir, true);
  }

  /**
   * Starts a registry that refuses deletes, as distribution does by default ({@code delete:
   * enabled: false}), or skips the calling test when there is none on this machine.
   */
  public static LocalRegistry startWithoutDeletes(Path workDir) throws Exception {
    return start(workDir, false);
  }

  /**
   * Starts a registry that asks for a password (Basic, {@link #USER} / {@link #PASSWORD}), or skips
   * the calling test when there is none on this machine.
   */
  public static LocalRegistry startWithPassword(Path workDir) throws Exception {
    Files.createDirectories(workDir);
    Path htpasswd = workDir.resolve("htpasswd");
    Files.writeString(htpasswd, USER + ":" + PASSWORD_BCRYPT + "\n");
    return start(workDir, true, "auth: { htpasswd: { realm: test, path: " + htpasswd + " } }");
  }

  private static LocalRegistry start(Path workDir, boolean deletes) throws Exception {
    return start(workDir, deletes, "");
  }

  private static LocalRegistry start(Path workDir, boolean deletes, String auth) throws Exception {
    assumeTrue(
        Files.isExecutable(BINARY),
        "no OCI registry here: install Debian's docker-registry package (.ci/run does)");
    return startOn(workDir, freePort(), deletes, auth);
  }

  /** Starts a registry on {@code port} (to bring one back where it was). */
  public static LocalRegistry startOn(Path workDir, int port) throws Exception {
    return startOn(workDir, port, true, "");
  }

  private static LocalRegistry startOn(Path workDir, int port, boolean deletes, String auth)
      throws Exception {
    Files.createDirectories(workDir.resolve("storage"));
    Path config = workDir.resolve("config.yml");
    Files.writeString(
        config,
        """
        version: 0.1
        log: { level: info, accesslog: { disabled: false } }
        storage: { filesystem: { rootdirectory: %s }, delete: { enabled: %s } }
        http: { addr: 127.0.0.1:%d }
        %s
        """
            .formatted(workDir.resolve("storage").toAbsolutePath(), deletes, port, auth));
    Path log = workDir.resolve("registry.log");
    Process process =
        new ProcessBuilder(BINARY.toString(), "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    var registry = new LocalRegistry(process, port, log, !auth.isEmpty());
    registry.awaitUp();
    return registry;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** How many manifests were pushed so far (from the registry's access log). */
  public long manifestPushes() throws IOException {
    return requests().stream()
        .filter(r -> r.method().equals("PUT") && r.uri().contains("/manifests/"))
        .count();
  }

  /**
   * How many images were pushed to {@code repository} so far: manifests or indexes put under a tag,
   * as a push ends (the platform manifests of an index go by digest).
   */
  public long imagePushes(String repository) throws IOException {
    return requests().stream()
        .filter(r -> r.method().equals("PUT") && r.status() == 201)
        .filter(r -> r.uri().startsWith("/v2/" + repository + "/manifests/"))
        .filter(r -> !r.uri().contains("/manifests/sha256:"))
        .count();
  }

  /** Every request answered so far, in order (from the registry's access log). */
  public List<Request> requests() throws IOException {
    try (var lines = Files.lines(log)) {
      return lines
          .map(ACCESS_LOG::matcher)
          .filter(Matcher::find)
          .map(m -> new Request(m.group(1), m.group(2), Integer.parseInt(m.group(3))))
          .toList();
    }
  }

  /**
   * The blob uploads the registry completed into {@code repository} so far: the digest of each
   * (uploads end with {@code PUT .../blobs/uploads/ID?...digest=DIGEST}).
   */
  public List<String> blobUploads(String repository) throws IOException {
    return requests().stream()
        .filter(r -> r.method().equals("PUT") && r.status() == 201)
        .filter(r -> r.uri().startsWith("/v2/" + repository + "/blobs/uploads/"))
        .map(r -> URLDecoder.decode(r.uri().replaceFirst(".*[?&]digest=([^&]*).*", "$1"), UTF_8))
        .toList();
  }

  /** The cross-repository mounts the registry made into {@code repository}: their digests. */
  public List<String> blobMounts(String repository) throws IOException {
    return requests().stream()
        .filter(r -> r.method().equals("POST") && r.status() == 201)
        .filter(r -> r.uri().startsWith("/v2/" + repository + "/blobs/uploads/?"))
        .map(r -> URLDecoder.decode(r.uri().replaceFirst(".*[?&]mount=([^&]*).*", "$1"), UTF_8))
        .toList();
  }

  /**
   * GET on the registry API, e.g. {@code /v2/sites/web/hello/tags/list} (with the password, when it
   * asks for one).
   */
  public HttpResponse<byte[]> get(String path, String accept) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://" + address() + path))
            .timeout(Duration.ofSeconds(10));
    if (accept != null) {
      request.header("Accept", accept);
    }
    if (passwordProtected) {
      String basic = USER + ":" + PASSWORD;
      request.header(
          "Authorization",
          "Basic " + java.util.Base64.getEncoder().encodeToString(basic.getBytes(UTF_8)));
    }
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private void awaitUp() throws Exception {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited with " + process.exitValue());
      }
      try {
        int status = get("/v2/", null).statusCode();
        if (status == 200 || status == 401) { // up, perhaps asking for the password
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(50);
    }
    close();
    throw new IllegalStateException("docker-registry did not answer within 10 s");
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Stops the registry (by its PID) and waits for it to exit. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
