package dev.tinystatic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tinystatic serve}: the real native server, answering over HTTP, gzip twins included. */
@Timeout(120)
class ServeCommandTest {

  static final Path MULTI_FILE = Path.of("..", "deploy", "examples", "multi-file.yaml");
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesASiteFileWithItsGzipTwinsAndStopsItsServerOnSigterm() throws Exception {
    int port = freePort();
    ProcessHandle server;
    try (var cli =
        CliProcess.start("serve", MULTI_FILE.toString(), "--port", Integer.toString(port))) {
      assertThat(cli.awaitLine("http://127.0.0.1:" + port + "/", Duration.ofSeconds(30)))
          .contains("Serving");
      var index = get(port, "/", false);
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(new String(index.body())).contains("<!doctype html>");
      assertThat(get(port, "/docs/", false).statusCode()).isEqualTo(200);
      assertThat(get(port, "/favicon.png", false).headers().firstValue("Content-Type"))
          .contains("image/png");
      var gzipped = get(port, "/", true);
      assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
      assertThat(
              new String(
                  new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes()))
          .isEqualTo(new String(index.body()));
      server =
          cli.process
              .descendants()
              .filter(p -> p.info().command().orElse("").endsWith("tinyhttpd"))
              .findFirst()
              .orElseThrow();
      cli.close();
      assertThat(cli.output()).as("Ctrl-C is not a failure").doesNotContain("failed");
    }
    assertThat(server.isAlive()).as("the native server ends with the command").isFalse();
  }

  @Test
  void servesADirectoryAsTheClusterWould(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("blog"));
    Files.writeString(dir.resolve("index.html"), "home ".repeat(100));
    Files.writeString(dir.resolve("blog/post.html"), "post");
    int port = freePort();
    try (var cli = CliProcess.start("serve", dir.toString(), "-p", Integer.toString(port))) {
      cli.awaitLine("(2 files, 504 bytes)", Duration.ofSeconds(30));
      assertThat(new String(get(port, "/blog/post.html", false).body())).isEqualTo("post");
      assertThat(get(port, "/index.html", true).headers().firstValue("Content-Encoding"))
          .contains("gzip");
      assertThat(get(port, "/missing", false).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aPortInUseIsAFailureWithTheServersMessage() throws Exception {
    try (var taken = new ServerSocket(0)) {
      try (var cli =
          CliProcess.start(
              "serve", MULTI_FILE.toString(), "--port", Integer.toString(taken.getLocalPort()))) {
        assertThat(cli.waitFor()).isEqualTo(ExitCodes.FAILED);
        assertThat(cli.output())
            .contains("cannot listen on port " + taken.getLocalPort())
            .doesNotContain("Serving");
      }
    }
  }

  @Test
  void bindsThisMachineOnlyByDefaultAndSaysSo() throws Exception {
    int port = freePort();
    try (var cli =
        CliProcess.start("serve", MULTI_FILE.toString(), "--port", Integer.toString(port))) {
      assertThat(cli.awaitLine("Serving", Duration.ofSeconds(30)))
          .contains("at http://127.0.0.1:" + port + "/")
          .contains("listening on 127.0.0.1 port " + port + " only");
      assertThat(get(port, "/", false).statusCode()).isEqualTo(200);
      // another address of this machine is not served (127.0.0.2 is loopback too, on Linux)
      try (var socket = new java.net.Socket()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> socket.connect(new java.net.InetSocketAddress("127.0.0.2", port), 2000))
            .isInstanceOf(java.io.IOException.class);
      }
    }
  }

  @Test
  void anAddressWidensItAndTheUrlSaysWhereToGo() throws Exception {
    int port = freePort();
    try (var cli =
        CliProcess.start(
            "serve", MULTI_FILE.toString(), "--port", Integer.toString(port), "-a", "0.0.0.0")) {
      assertThat(cli.awaitLine("Serving", Duration.ofSeconds(30)))
          .contains("at http://127.0.0.1:" + port + "/")
          .contains("listening on every address (0.0.0.0) port " + port);
      var other =
          HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + port + "/"))
              .timeout(Duration.ofSeconds(5))
              .build();
      assertThat(http.send(other, HttpResponse.BodyHandlers.ofByteArray()).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aBadAddressIsAFailureWithTheServersMessage() throws Exception {
    try (var cli =
        CliProcess.start(
            "serve", MULTI_FILE.toString(), "--port", Integer.toString(freePort()), "-a", "lan")) {
      assertThat(cli.waitFor()).isEqualTo(ExitCodes.FAILED);
      assertThat(cli.output()).contains("tinyhttpd: bad address: lan").doesNotContain("Serving");
    }
  }

  @Test
  void urlsAndWords() {
    assertThat(ServeCommand.url("127.0.0.1", 80)).isEqualTo("http://127.0.0.1:80/");
    assertThat(ServeCommand.url("::1", 80)).isEqualTo("http://[::1]:80/");
    assertThat(ServeCommand.url("::", 80)).isEqualTo("http://[::1]:80/");
    assertThat(ServeCommand.url("0.0.0.0", 80)).isEqualTo("http://127.0.0.1:80/");
    assertThat(ServeCommand.bound("::", 8080)).isEqualTo("every address (::) port 8080");
    assertThat(ServeCommand.bound("10.0.0.5", 8080)).isEqualTo("10.0.0.5 port 8080 only");
  }

  private HttpResponse<byte[]> get(int port, String path, boolean gzip) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5));
    if (gzip) {
      request.header("Accept-Encoding", "gzip");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
