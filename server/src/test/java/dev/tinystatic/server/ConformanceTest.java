package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.server.Http.Conn;
import dev.tinystatic.server.Http.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP conformance of the real binary: status codes, headers, bodies, connections. */
@Timeout(30)
class ConformanceTest {

  @TempDir static Path root;
  static TinyServer server;
  static int port;
  static byte[] big = new byte[5 << 20];
  static byte[] appJsGz;

  @BeforeAll
  static void start() throws IOException {
    Files.writeString(root.resolve("index.html"), "<h1>home</h1>\n");
    Files.writeString(root.resolve("hello.txt"), "hello, world\n");
    Files.writeString(root.resolve("digits.txt"), "0123456789abcdefghij");
    Files.writeString(root.resolve("empty.txt"), "");
    Files.createDirectories(root.resolve("sub/deeper"));
    Files.writeString(root.resolve("sub/index.html"), "sub index");
    Files.writeString(root.resolve("sub/deeper/page.html"), "deeper page");
    Files.createDirectories(root.resolve("noindex"));
    Files.writeString(root.resolve("noindex/file.txt"), "x");
    Files.writeString(root.resolve("with space.txt"), "spaced");
    Files.writeString(root.resolve("caf\u00e9.txt"), "accent");
    Files.writeString(root.resolve("app.js"), "console.log('plain');\n".repeat(20));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(Files.readAllBytes(root.resolve("app.js")));
    }
    appJsGz = gz.toByteArray();
    Files.write(root.resolve("app.js.gz"), appJsGz);
    new Random(42).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    Files.setLastModifiedTime(
        root.resolve("hello.txt"), FileTime.from(Instant.parse("2024-02-29T13:14:15Z")));
    for (String ext :
        new String[] {
          "html",
          "htm",
          "css",
          "js",
          "mjs",
          "json",
          "map",
          "svg",
          "png",
          "jpg",
          "jpeg",
          "gif",
          "webp",
          "avif",
          "ico",
          "woff",
          "woff2",
          "wasm",
          "txt",
          "xml",
          "pdf",
          "HTML",
          "Png",
          "unknownext",
          "gz",
          "mp4"
        }) {
      Files.writeString(root.resolve("type." + ext), "t");
    }
    Files.writeString(root.resolve("noext"), "t");
    Files.writeString(root.resolve("dots.in.name.css"), "t");
    server = TinyServer.start(root);
    port = server.port;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Response fetch(String raw) throws IOException {
    return Http.exchange(port, raw);
  }

  @Test
  void servesAFileWithAllItsHeaders() throws IOException {
    Response r = fetch(get("/hello.txt"));
    assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
    assertThat(r.text()).isEqualTo("hello, world\n");
    assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.header("Content-Length")).isEqualTo("13");
    assertThat(r.header("ETag")).matches("\"[0-9a-f]{16}\"");
    assertThat(r.header("Last-Modified")).isEqualTo("Thu, 29 Feb 2024 13:14:15 GMT");
    assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
    assertThat(r.header("Server")).isNull();
    ZonedDateTime date =
        ZonedDateTime.parse(r.header("Date"), DateTimeFormatter.RFC_1123_DATE_TIME);
    assertThat(Math.abs(date.toEpochSecond() - Instant.now().getEpochSecond())).isLessThan(5);
    assertThat(r.header("Date")).endsWith(" GMT");
  }

  @Test
  void lastModifiedFollowsTheCalendar() throws IOException {
    String[][] cases = {
      {"1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT"},
      {"2000-02-29T23:59:59Z", "Tue, 29 Feb 2000 23:59:59 GMT"},
      {"2026-12-31T12:00:01Z", "Thu, 31 Dec 2026 12:00:01 GMT"},
      {"2100-03-01T00:00:00Z", "Mon, 01 Mar 2100 00:00:00 GMT"},
    };
    for (String[] c : cases) {
      Path f = root.resolve("dated.txt");
      Files.writeString(f, c[0]);
      Files.setLastModifiedTime(f, FileTime.from(Instant.parse(c[0])));
      assertThat(fetch(get("/dated.txt")).header("Last-Modified")).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void headAnswersTheHeadersWithoutABody() throws IOException {
    try (Conn c = new Conn(port)) {
      Response head = c.request("HEAD /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo("13");
      // no body bytes: the next response on the socket starts right away
      Response next = c.request(get("/digits.txt"));
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.text()).isEqualTo("0123456789abcdefghij");
      Response head404 = c.request("HEAD /missing HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(head404.status()).isEqualTo(404);
      assertThat(c.request(get("/hello.txt")).text()).isEqualTo("hello, world\n");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "type.html|text/html; charset=utf-8",
        "type.htm|text/html; charset=utf-8",
        "type.HTML|text/html; charset=utf-8",
        "type.css|text/css; charset=utf-8",
        "type.js|text/javascript; charset=utf-8",
        "type.mjs|text/javascript; charset=utf-8",
        "type.json|application/json",
        "type.map|application/json",
        "type.svg|image/svg+xml",
        "type.png|image/png",
        "type.Png|image/png",
        "type.jpg|image/jpeg",
        "type.jpeg|image/jpeg",
        "type.gif|image/gif",
        "type.webp|image/webp",
        "type.avif|image/avif",
        "type.ico|image/x-icon",
        "type.woff|font/woff",
        "type.woff2|font/woff2",
        "type.wasm|application/wasm",
        "type.txt|text/plain; charset=utf-8",
        "type.xml|application/xml",
        "type.pdf|application/pdf",
        "type.mp4|application/octet-stream",
        "type.unknownext|application/octet-stream",
        "type.gz|application/octet-stream",
        "noext|application/octet-stream",
        "dots.in.name.css|text/css; charset=utf-8",
        "sub/|text/html; charset=utf-8",
      })
  void contentTypeFollowsTheExtension(String file, String type) throws IOException {
    Response r = fetch(get("/" + file));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo(type);
  }

  @Test
  void directoriesServeTheirIndexAndRedirectWithoutSlash() throws IOException {
    assertThat(fetch(get("/")).text()).isEqualTo("<h1>home</h1>\n");
    assertThat(fetch(get("/sub/")).text()).isEqualTo("sub index");
    Response redirect = fetch(get("/sub"));
    assertThat(redirect.statusLine()).isEqualTo("HTTP/1.1 301 Moved Permanently");
    assertThat(redirect.header("Location")).isEqualTo("/sub/");
    assertThat(fetch(get("/sub/deeper")).header("Location")).isEqualTo("/sub/deeper/");
    assertThat(fetch(get("/sub?x=1")).header("Location")).isEqualTo("/sub/");
    // "//sub" must not become "//sub/", a link to the host "sub"
    assertThat(fetch(get("//sub")).header("Location")).isEqualTo("/sub/");
    assertThat(fetch(get("/noindex/")).status()).isEqualTo(404);
    assertThat(fetch(get("/noindex/file.txt")).text()).isEqualTo("x");
    assertThat(fetch(get("/hello.txt/")).status()).isEqualTo(404);
  }

  @Test
  void queryStringsAndPercentEncodingAreHandled() throws IOException {
    assertThat(fetch(get("/hello.txt?v=123&x=/../y")).text()).isEqualTo("hello, world\n");
    assertThat(fetch(get("/with%20space.txt")).text()).isEqualTo("spaced");
    assertThat(fetch(get("/caf%C3%A9.txt")).text()).isEqualTo("accent");
    assertThat(fetch(get("/%68%65%6C%6c%6f.txt")).text()).isEqualTo("hello, world\n");
    assertThat(fetch(get("/sub/./deeper/../index.html")).text()).isEqualTo("sub index");
    assertThat(fetch(get("/sub//deeper///page.html")).text()).isEqualTo("deeper page");
    assertThat(fetch(get("/hello.txt%3Fv=1")).status()).isEqualTo(404); // an encoded '?' is a name
  }

  @Test
  void missingFilesAre404() throws IOException {
    Response r = fetch(get("/nope.html"));
    assertThat(r.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
    assertThat(r.text()).isEqualTo("404 Not Found\n");
    assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(fetch(get("/sub/nope/")).status()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "POST",
        "PUT",
        "DELETE",
        "PATCH",
        "OPTIONS",
        "TRACE",
        "CONNECT",
        "PROPFIND",
        "FOO",
        "get"
      })
  void otherMethodsAre405WithAllow(String method) throws IOException {
    try (Conn c = new Conn(port)) {
      Response r = c.request(method + " /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(r.statusLine()).isEqualTo("HTTP/1.1 405 Method Not Allowed");
      assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
      assertThat(r.text()).isEqualTo("405 Method Not Allowed\n");
      // no body was announced: the connection stays usable
      assertThat(c.request(get("/hello.txt")).status()).isEqualTo(200);
    }
  }

  @Test
  void aRequestWithABodyIsAnsweredThenTheConnectionCloses() throws IOException {
    try (Conn c = new Conn(port)) {
      Response r = c.request("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(c.closedByPeer(2000)).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET\r\n\r\n",
        "GET /\r\n\r\n",
        "GET / HTTP/2.0\r\nHost: t\r\n\r\n",
        "GET / HTTP/1.1 extra\r\nHost: t\r\n\r\n",
        "GET  / HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET / FOO/1.1\r\nHost: t\r\n\r\n",
        "GET / http/1.1\r\nHost: t\r\n\r\n",
        " GET / HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nName : x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nX: a\u0001b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1x\r\n\r\n",
        "GET /%zz HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /%2 HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /a%00b HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET noslash HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /a\u007fb HTTP/1.1\r\nHost: t\r\n\r\n",
      })
  void malformedRequestsAre400AndClose(String raw) throws IOException {
    try (Conn c = new Conn(port)) {
      Response r = c.request(raw);
      assertThat(r.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
      assertThat(r.text()).isEqualTo("400 Bad Request\n");
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(c.closedByPeer(2000)).isTrue();
    }
  }

  @Test
  void overLongUriIs414AndOverLargeHeadersAre431() throws IOException {
    Response uri = fetch(get("/" + "a".repeat(2000)));
    assertThat(uri.statusLine()).isEqualTo("HTTP/1.1 414 URI Too Long");
    Response line = fetch("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: t\r\n\r\n");
    assertThat(line.status()).isEqualTo(414);
    Response headers = fetch(get("/hello.txt", "X-Big: " + "b".repeat(9000)));
    assertThat(headers.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
    assertThat(headers.header("Connection")).isEqualTo("close");
    // a long query string is fine as long as the head fits
    assertThat(fetch(get("/hello.txt?" + "q".repeat(4000))).status()).isEqualTo(200);
  }

  @Test
  void etagIfNoneMatchGives304() throws IOException {
    String tag = fetch(get("/hello.txt")).header("ETag");
    for (String inm :
        new String[] {tag, "W/" + tag, "\"nope\", " + tag, "*", "\"a\"," + tag + ",\"b\""}) {
      try (Conn c = new Conn(port)) {
        Response r = c.request(get("/hello.txt", "If-None-Match: " + inm));
        assertThat(r.statusLine()).as(inm).isEqualTo("HTTP/1.1 304 Not Modified");
        assertThat(r.header("ETag")).isEqualTo(tag);
        assertThat(r.header("Content-Length")).isNull();
        assertThat(c.request(get("/digits.txt")).text()).isEqualTo("0123456789abcdefghij");
      }
    }
    assertThat(fetch(get("/hello.txt", "If-None-Match: \"0000000000000000\"")).status())
        .isEqualTo(200);
    assertThat(fetch(get("/digits.txt", "If-None-Match: " + tag)).status()).isEqualTo(200);
    assertThat(fetch(get("/hello.txt")).header("ETag")).isEqualTo(tag);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bytes=0-9|bytes 0-9/20|0123456789",
        "bytes=10-|bytes 10-19/20|abcdefghij",
        "bytes=-5|bytes 15-19/20|fghij",
        "bytes=-50|bytes 0-19/20|0123456789abcdefghij",
        "bytes=5-5|bytes 5-5/20|5",
        "bytes=18-100|bytes 18-19/20|ij",
        "BYTES=0-0|bytes 0-0/20|0",
      })
  void singleRangesGive206(String range, String contentRange, String body) throws IOException {
    Response r = fetch(get("/digits.txt", "Range: " + range));
    assertThat(r.statusLine()).isEqualTo("HTTP/1.1 206 Partial Content");
    assertThat(r.header("Content-Range")).isEqualTo(contentRange);
    assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(body.length()));
    assertThat(r.text()).isEqualTo(body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=20-", "bytes=20-30", "bytes=-0", "bytes=99999999999999999999999-"})
  void unsatisfiableRangesGive416(String range) throws IOException {
    Response r = fetch(get("/digits.txt", "Range: " + range));
    assertThat(r.statusLine()).isEqualTo("HTTP/1.1 416 Range Not Satisfiable");
    assertThat(r.header("Content-Range")).isEqualTo("bytes */20");
    assertThat(fetch(get("/empty.txt", "Range: bytes=0-")).status()).isEqualTo(416);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bytes=0-1,5-6",
        "bytes=5-2",
        "items=0-1",
        "bytes=a-b",
        "bytes=",
        "bytes=-",
        "bytes 0-1"
      })
  void otherRangesAreIgnored(String range) throws IOException {
    Response r = fetch(get("/digits.txt", "Range: " + range));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("0123456789abcdefghij");
  }

  @Test
  void ifRangeKeepsTheRangeOnlyForTheCurrentEtag() throws IOException {
    String tag = fetch(get("/digits.txt")).header("ETag");
    assertThat(fetch(get("/digits.txt", "Range: bytes=0-1", "If-Range: " + tag)).status())
        .isEqualTo(206);
    Response stale =
        fetch(get("/digits.txt", "Range: bytes=0-1", "If-Range: \"0123456789abcdef\""));
    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.text()).hasSize(20);
    assertThat(fetch(get("/digits.txt", "Range: bytes=0-1", "If-Range: W/" + tag)).status())
        .isEqualTo(200);
  }

  @Test
  void rangesOfALargeFileComeFromTheFile() throws IOException {
    Response r = fetch(get("/big.bin", "Range: bytes=1000000-1000999"));
    assertThat(r.status()).isEqualTo(206);
    assertThat(r.body()).isEqualTo(java.util.Arrays.copyOfRange(big, 1000000, 1001000));
  }

  @Test
  void largeFilesArriveIntact() throws Exception {
    Response r = fetch(get("/big.bin"));
    assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(big.length));
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    assertThat(sha.digest(r.body())).isEqualTo(MessageDigest.getInstance("SHA-256").digest(big));
  }

  @Test
  void emptyFiles() throws IOException {
    Response r = fetch(get("/empty.txt"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Length")).isEqualTo("0");
  }

  @Test
  void gzipTwinsAreServedToClientsThatAcceptGzip() throws IOException {
    Response plain = fetch(get("/app.js"));
    Response gz = fetch(get("/app.js", "Accept-Encoding: gzip, deflate, br"));
    assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(gz.header("Vary")).isEqualTo("Accept-Encoding");
    assertThat(gz.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(gz.body()).isEqualTo(appJsGz);
    assertThat(gz.header("ETag")).isNotEqualTo(plain.header("ETag"));
    assertThat(plain.header("Content-Encoding")).isNull();
    assertThat(plain.header("Vary")).isEqualTo("Accept-Encoding");
    assertThat(plain.text()).startsWith("console.log");
    assertThat(fetch(get("/app.js", "Accept-Encoding: GZIP")).header("Content-Encoding"))
        .isEqualTo("gzip");
    assertThat(fetch(get("/app.js", "Accept-Encoding: gzip;q=0.5")).header("Content-Encoding"))
        .isEqualTo("gzip");
    assertThat(fetch(get("/app.js", "Accept-Encoding: gzip;q=0")).header("Content-Encoding"))
        .isNull();
    assertThat(
            fetch(get("/app.js", "Accept-Encoding: br, gzip ; q=0.0")).header("Content-Encoding"))
        .isNull();
    assertThat(fetch(get("/app.js", "Accept-Encoding: identity")).header("Content-Encoding"))
        .isNull();
    assertThat(fetch(get("/hello.txt", "Accept-Encoding: gzip")).header("Content-Encoding"))
        .isNull();
    // a range applies to the identity bytes
    Response range = fetch(get("/app.js", "Accept-Encoding: gzip", "Range: bytes=0-6"));
    assertThat(range.status()).isEqualTo(206);
    assertThat(range.header("Content-Encoding")).isNull();
    assertThat(range.text()).isEqualTo("console");
    // 304 for the twin's own ETag
    Response notModified =
        fetch(get("/app.js", "Accept-Encoding: gzip", "If-None-Match: " + gz.header("ETag")));
    assertThat(notModified.status()).isEqualTo(304);
  }

  @Test
  void keepAliveServesSeveralRequestsOnOneConnection() throws IOException {
    try (Conn c = new Conn(port)) {
      for (int i = 0; i < 5; i++) {
        Response r = c.request(get(i % 2 == 0 ? "/hello.txt" : "/digits.txt"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Connection")).isNull();
      }
      assertThat(c.request(get("/missing")).status()).isEqualTo(404);
      assertThat(c.request(get("/sub")).status()).isEqualTo(301);
      assertThat(c.request(get("/big.bin")).body()).hasSize(big.length);
      Response last = c.request(get("/hello.txt", "Connection: close"));
      assertThat(last.header("Connection")).isEqualTo("close");
      assertThat(c.closedByPeer(2000)).isTrue();
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    StringBuilder all = new StringBuilder();
    String[] paths = new String[40];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = i % 3 == 0 ? "/hello.txt" : i % 3 == 1 ? "/digits.txt" : "/missing-" + i;
      all.append(i % 5 == 4 ? "HEAD " + paths[i] + " HTTP/1.1\r\nHost: t\r\n\r\n" : get(paths[i]));
    }
    try (Conn c = new Conn(port)) {
      c.send(all.toString());
      for (int i = 0; i < paths.length; i++) {
        Response r = c.read(i % 5 == 4);
        if (paths[i].startsWith("/missing")) {
          assertThat(r.status()).isEqualTo(404);
        } else {
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.header("Content-Length"))
              .isEqualTo(paths[i].equals("/hello.txt") ? "13" : "20");
          if (i % 5 != 4) {
            assertThat(r.text())
                .isEqualTo(
                    paths[i].equals("/hello.txt") ? "hello, world\n" : "0123456789abcdefghij");
          }
        }
      }
      // pipelining across a large response too
      c.send(get("/big.bin") + get("/hello.txt"));
      assertThat(c.read().body()).hasSize(big.length);
      assertThat(c.read().text()).isEqualTo("hello, world\n");
    }
  }

  @Test
  void requestsSplitAcrossManyWrites() throws Exception {
    try (Conn c = new Conn(port)) {
      for (char ch : get("/hello.txt").toCharArray()) {
        c.send(String.valueOf(ch));
        Thread.sleep(1);
      }
      assertThat(c.read().text()).isEqualTo("hello, world\n");
      // bare LF line ends are accepted too
      assertThat(c.request("GET /digits.txt HTTP/1.1\nHost: t\n\n").status()).isEqualTo(200);
    }
  }

  @Test
  void http10AnswersThenCloses() throws IOException {
    for (String connection : new String[] {"", "Connection: keep-alive\r\n"}) {
      try (Conn c = new Conn(port)) {
        Response r = c.request("GET /hello.txt HTTP/1.0\r\n" + connection + "\r\n");
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(r.header("Connection")).isEqualTo("close");
        assertThat(r.text()).isEqualTo("hello, world\n");
        assertThat(c.closedByPeer(2000)).isTrue();
      }
    }
  }

  @Test
  void absoluteFormTargetsAreAccepted() throws IOException {
    assertThat(
            fetch("GET http://example.com/hello.txt HTTP/1.1\r\nHost: example.com\r\n\r\n").text())
        .isEqualTo("hello, world\n");
    assertThat(fetch("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n").text())
        .isEqualTo("<h1>home</h1>\n");
  }

  @Test
  void headerNamesAreCaseInsensitive() throws IOException {
    Response r = fetch("GET /digits.txt HTTP/1.1\r\nhOsT: t\r\nRANGE: bytes=0-1\r\n\r\n");
    assertThat(r.text()).isEqualTo("01");
    assertThat(
            fetch("GET /hello.txt HTTP/1.1\r\nHost:t\r\nConnection:   CLOSE  \r\n\r\n")
                .header("Connection"))
        .isEqualTo("close");
  }

  @Test
  void nonAsciiHeaderValuesAreAccepted() throws IOException {
    byte[] req =
        ("GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Name: caf\u00e9\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    try (Conn c = new Conn(port)) {
      assertThat(c.send(req).read().status()).isEqualTo(200);
    }
  }
}
