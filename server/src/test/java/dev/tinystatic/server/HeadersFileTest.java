package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.server.Http.Conn;
import dev.tinystatic.server.Http.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -m FILE}: the headers file the operator writes (format: server/README.md, "Headers file").
 * Its first lines go on every response; the lines after a path line go with answers from that file
 * (200, 206, 304, and the -n page's 404); the lines after the path "/" with every other file. They
 * replace the built-in X-Content-Type-Options and Cache-Control.
 */
@Timeout(30)
class HeadersFileTest {

  static final String HEADERS =
      "X-Content-Type-Options: nosniff\r\n"
          + "Content-Security-Policy: default-src 'self'\r\n"
          + "/\r\n"
          + "Cache-Control: no-cache\r\n"
          + "/assets/app.3f9a1c2b.js\r\n"
          + "/assets/main-BX3kq9a1.css\r\n"
          + "Cache-Control: public, max-age=31536000, immutable\r\n"
          + "/404.html\r\n"
          + "Cache-Control: no-store\r\n"
          + "X-Page: not-found\r\n"
          + "/index.html\r\n"
          + "Cache-Control: no-cache, private\r\n"
          + "/docs/index.html\r\n"
          + "X-Page: docs\r\n";

  @TempDir static Path dir;
  static Path root;
  static TinyServer server;

  @BeforeAll
  static void start() throws IOException {
    root = Files.createDirectories(dir.resolve("site"));
    Files.createDirectories(root.resolve("assets"));
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("index.html"), "<div id=app></div>");
    Files.writeString(root.resolve("404.html"), "gone");
    Files.writeString(root.resolve("docs/index.html"), "docs");
    Files.writeString(root.resolve("assets/app.3f9a1c2b.js"), "app()".repeat(300));
    Files.writeString(root.resolve("assets/main-BX3kq9a1.css"), "body{}");
    Files.writeString(root.resolve("assets/app.3f9a1c2b.js.gz"), "not really gzip");
    Files.writeString(root.resolve("plain.txt"), "plain");
    Path headers = Files.writeString(dir.resolve("headers"), HEADERS); // outside the docroot
    server = TinyServer.start(root, "-m", headers.toString(), "-n", "404.html", "-s", "index.html");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Response fetch(String raw) throws IOException {
    return Http.exchange(server.port, raw);
  }

  static void hasTheLinesForEveryResponse(Response r) {
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.header("Content-Security-Policy")).isEqualTo("default-src 'self'");
  }

  @Test
  void aListedFileGetsItsGroupsLines() throws IOException {
    for (String path : new String[] {"/assets/app.3f9a1c2b.js", "/assets/main-BX3kq9a1.css"}) {
      Response r = fetch(get(path));
      assertThat(r.status()).isEqualTo(200);
      hasTheLinesForEveryResponse(r);
      assertThat(r.headers().get("cache-control"))
          .containsExactly("public, max-age=31536000, immutable");
    }
  }

  @Test
  void anUnlistedFileGetsTheLinesOfSlash() throws IOException {
    Response r = fetch(get("/plain.txt"));
    hasTheLinesForEveryResponse(r);
    assertThat(r.headers().get("cache-control")).containsExactly("no-cache");
    assertThat(r.header("X-Page")).isNull();
  }

  @Test
  void theLinesComeWith304And206AndHeadToo() throws IOException {
    String path = "/assets/app.3f9a1c2b.js";
    Response first = fetch(get(path));
    for (Response r :
        new Response[] {
          fetch(get(path, "If-None-Match: " + first.header("ETag"))),
          fetch(get(path, "Range: bytes=0-4")),
          fetch("HEAD " + path + " HTTP/1.1\r\nHost: t\r\n\r\n"),
          fetch(get(path, "Accept-Encoding: gzip")), // its .gz twin: the lines of the path asked
        }) {
      hasTheLinesForEveryResponse(r);
      assertThat(r.headers().get("cache-control"))
          .as(r.statusLine())
          .containsExactly("public, max-age=31536000, immutable");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /%zz HTTP/1.1\r\nHost: t\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /docs HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /plain.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=99-\r\n\r\n",
        "GET /plain.txt HTTP/1.1\r\nHost: t\r\nIf-Match: \"x\"\r\n\r\n",
      })
  void errorsAndRedirectsGetTheLinesForEveryResponseOnly(String raw) throws IOException {
    Response r = fetch(raw);
    assertThat(r.status()).isIn(301, 400, 405, 412, 416);
    hasTheLinesForEveryResponse(r);
    assertThat(r.header("Cache-Control")).isNull();
  }

  @Test
  void theNotFoundPageAndTheFallbackGetTheirOwnFilesLines() throws IOException {
    Response missing = fetch(get("/nope.png"));
    assertThat(missing.status()).isEqualTo(404);
    hasTheLinesForEveryResponse(missing);
    assertThat(missing.header("Cache-Control")).isEqualTo("no-store");
    assertThat(missing.header("X-Page")).isEqualTo("not-found");
    Response route = fetch(get("/users/42"));
    assertThat(route.status()).isEqualTo(200);
    assertThat(route.header("Cache-Control")).isEqualTo("no-cache, private");
  }

  @Test
  void aDirectoryIndexGetsTheLinesOfItsFile() throws IOException {
    Response r = fetch(get("/docs/"));
    assertThat(r.text()).isEqualTo("docs");
    assertThat(r.header("X-Page")).isEqualTo("docs");
    assertThat(r.header("Cache-Control")).isNull(); // its group has no Cache-Control
  }

  @Test
  void withAHeadersFileTheBuiltInLinesAreGone() throws Exception {
    Path only = Files.writeString(dir.resolve("only-global"), "X-Frame-Options: DENY\r\n");
    try (TinyServer s = TinyServer.start(root, "-m", only.toString())) {
      for (String path : new String[] {"/plain.txt", "/nope"}) {
        Response r = Http.exchange(s.port, get(path));
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(r.header("X-Content-Type-Options")).as(path).isNull();
        assertThat(r.header("Cache-Control")).as(path).isNull();
      }
    }
    Path empty = Files.writeString(dir.resolve("empty"), "");
    try (TinyServer s = TinyServer.start(root, "-m", empty.toString());
        Conn c = new Conn(s.port)) {
      Response r = c.request(get("/plain.txt"));
      assertThat(r.text()).isEqualTo("plain");
      assertThat(r.headers().keySet())
          .containsExactly(
              "content-type",
              "content-length",
              "etag",
              "last-modified",
              "accept-ranges",
              "vary",
              "date");
    }
  }

  static CliTest.Run run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(TinyServer.binary().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    try {
      assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
      return new CliTest.Run(
          p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8), "");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aMissingOrTooBigFileIsRefusedAtStart() throws Exception {
    Path missing = dir.resolve("no-such-file");
    CliTest.Run r = run("-p", "1", "-d", root.toString(), "-m", missing.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.stderr())
        .isEqualTo("tinyhttpd: cannot read headers file (16 KiB at most): " + missing + "\n");
    Path big = Files.writeString(dir.resolve("big"), "X-A: b\r\n".repeat(2049)); // 16,392 bytes
    r = run("-p", "1", "-d", root.toString(), "-m", big.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("tinyhttpd: cannot read headers file (16 KiB at most)");
    Path justFits = Files.writeString(dir.resolve("fits"), "X-A: b\r\n".repeat(2048));
    try (TinyServer s = TinyServer.start(root, "-m", justFits.toString())) {
      assertThat(Http.exchange(s.port, get("/plain.txt")).headers().get("x-a")).hasSize(2048);
    }
  }
}
