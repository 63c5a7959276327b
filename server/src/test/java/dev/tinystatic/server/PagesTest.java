package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.server.Http.Conn;
import dev.tinystatic.server.Http.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -n 404.html}: every miss gets that page with status 404. {@code -s index.html}: a missing
 * path whose last segment has no '.' (a client-side route) gets that page with 200; a missing asset
 * still gets 404.
 */
@Timeout(30)
class PagesTest {

  static final String INDEX = "<div id=app></div>";
  static final String NOT_FOUND = "<h1>Not here</h1>";

  @TempDir static Path root;
  static TinyServer both;
  static TinyServer notFoundOnly;
  static TinyServer spaOnly;

  @BeforeAll
  static void start() throws IOException {
    Files.writeString(root.resolve("index.html"), INDEX);
    Files.writeString(root.resolve("404.html"), NOT_FOUND);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(NOT_FOUND.getBytes());
    }
    Files.write(root.resolve("404.html.gz"), gz.toByteArray());
    Files.writeString(root.resolve("app.js"), "run()");
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("docs/index.html"), "docs");
    Files.createDirectories(root.resolve("empty"));
    both = TinyServer.start(root, "-s", "index.html", "-n", "404.html");
    notFoundOnly = TinyServer.start(root, "-n", "404.html");
    spaOnly = TinyServer.start(root, "-s", "index.html");
  }

  @AfterAll
  static void stop() {
    both.close();
    notFoundOnly.close();
    spaOnly.close();
  }

  static Response fetch(TinyServer s, String raw) throws IOException {
    return Http.exchange(s.port, raw);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nope.html", "/missing/deep/file.css", "/app.js/x.png", "/empty/"})
  void aMissIsTheNotFoundPageWith404(String path) throws IOException {
    Response r = fetch(notFoundOnly, get(path));
    assertThat(r.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
    assertThat(r.text()).isEqualTo(NOT_FOUND);
    assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(NOT_FOUND.length()));
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void theNotFoundPageIgnoresConditionsAndRanges() throws IOException {
    String tag = fetch(notFoundOnly, get("/404.html")).header("ETag");
    Response r = fetch(notFoundOnly, get("/nope", "If-None-Match: " + tag, "Range: bytes=0-3"));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.text()).isEqualTo(NOT_FOUND);
  }

  @Test
  void headGetsTheNotFoundStatusWithoutTheBody() throws IOException {
    try (Conn c = new Conn(notFoundOnly.port)) {
      Response r = c.request("HEAD /nope HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(NOT_FOUND.length()));
      // nothing followed the head: the next answer starts right away
      assertThat(c.request(get("/app.js")).text()).isEqualTo("run()");
    }
  }

  @Test
  void theNotFoundPageComesGzippedToo() throws IOException {
    Response r = fetch(notFoundOnly, get("/nope", "Accept-Encoding: gzip"));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
  }

  @Test
  void withoutThePageTheMissIsPlain() throws Exception {
    Path bare = Files.createDirectories(root.resolve("bare"));
    Files.writeString(bare.resolve("a.txt"), "a");
    try (TinyServer s = TinyServer.start(bare, "-n", "404.html", "-s", "index.html")) {
      Response r = fetch(s, get("/nope"));
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.text()).isEqualTo("404 Not Found\n");
      assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/users/42", "/settings", "/v1.2/users", "/deep/route/", "/a?x=1.js"})
  void aClientSideRouteIsTheFallbackWith200(String path) throws IOException {
    for (TinyServer s : new TinyServer[] {both, spaOnly}) {
      Response r = fetch(s, get(path));
      if (path.endsWith("/")) { // a directory request behaves as without -s
        assertThat(r.status()).isEqualTo(404);
        continue;
      }
      assertThat(r.statusLine()).as(path).isEqualTo("HTTP/1.1 200 OK");
      assertThat(r.text()).isEqualTo(INDEX);
      assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
      assertThat(r.header("ETag")).isEqualTo(fetch(s, get("/index.html")).header("ETag"));
    }
  }

  @Test
  void theFallbackHonoursConditionsAndHead() throws IOException {
    String tag = fetch(spaOnly, get("/")).header("ETag");
    assertThat(fetch(spaOnly, get("/route", "If-None-Match: " + tag)).status()).isEqualTo(304);
    Response head = fetch(spaOnly, "HEAD /route HTTP/1.1\r\nHost: t\r\n\r\n");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/app.css", "/missing.js", "/users/42/photo.png", "/x."})
  void aMissingAssetIsStill404(String path) throws IOException {
    assertThat(fetch(spaOnly, get(path)).text()).isEqualTo("404 Not Found\n");
    Response r = fetch(both, get(path));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.text()).isEqualTo(NOT_FOUND);
  }

  @Test
  void filesAndDirectoriesAreServedAsWithoutPages() throws IOException {
    assertThat(fetch(both, get("/app.js")).text()).isEqualTo("run()");
    assertThat(fetch(both, get("/docs/")).text()).isEqualTo("docs");
    Response redirect = fetch(both, get("/docs"));
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.header("Location")).isEqualTo("/docs/");
    assertThat(fetch(both, get("/empty")).status()).isEqualTo(301);
  }

  @Test
  void errorsAreNotMisses() throws IOException {
    assertThat(fetch(both, get("/%zz")).status()).isEqualTo(400);
    assertThat(fetch(both, "POST /route HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(405);
  }
}
