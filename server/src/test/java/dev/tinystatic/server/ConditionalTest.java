package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.server.Http.Conn;
import dev.tinystatic.server.Http.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conditional requests (RFC 9110 §13): If-Match, If-Unmodified-Since, If-None-Match,
 * If-Modified-Since, evaluated in that order, each only when the ones before allow it. Dates are
 * read in the IMF-fixdate form every client sends (it echoes Last-Modified); the two obsolete forms
 * are ignored like any other text, which gives a full answer.
 */
@Timeout(30)
class ConditionalTest {

  static final String MODIFIED = "Thu, 29 Feb 2024 13:14:15 GMT";

  @TempDir static Path root;
  static TinyServer server;
  static String tag;

  @BeforeAll
  static void start() throws IOException {
    Path page = Files.writeString(root.resolve("page.html"), "<p>page</p>");
    Files.setLastModifiedTime(page, FileTime.from(Instant.parse("2024-02-29T13:14:15Z")));
    server = TinyServer.start(root);
    tag = Http.exchange(server.port, get("/page.html")).header("ETag");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static int status(String... headers) throws IOException {
    return Http.exchange(server.port, get("/page.html", headers)).status();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Thu, 29 Feb 2024 13:14:15 GMT|304", // what the server sent
        "Thu, 29 Feb 2024 13:14:16 GMT|304", // later
        "Sat, 01 Jan 2050 00:00:00 GMT|304",
        "Thu, 29 Feb 2024 13:14:14 GMT|200", // earlier
        "Wed, 28 Feb 2024 23:59:59 GMT|200",
        "Mon, 01 Jan 2024 13:14:15 GMT|200",
        // the obsolete RFC 850 and asctime forms are not read: ignored, a full answer
        "Thursday, 29-Feb-24 13:14:15 GMT|200",
        "Thu Feb 29 13:14:15 2024|200",
        "yesterday|200", // not a date: ignored
        "Thu, 29 Feb 2024|200",
        "|200",
      })
  void ifModifiedSince(String date, int expected) throws IOException {
    Response r = Http.exchange(server.port, get("/page.html", "If-Modified-Since: " + date));
    assertThat(r.status()).as(date).isEqualTo(expected);
    assertThat(r.header("ETag")).isEqualTo(tag);
    assertThat(r.header("Last-Modified")).isEqualTo(MODIFIED);
    if (expected == 304) {
      assertThat(r.body()).isEmpty();
      assertThat(r.header("Content-Length")).isNull();
    }
  }

  @Test
  void ifModifiedSinceOnHeadToo() throws IOException {
    Response r =
        Http.exchange(
            server.port,
            "HEAD /page.html HTTP/1.1\r\nHost: t\r\nIf-Modified-Since: " + MODIFIED + "\r\n\r\n");
    assertThat(r.status()).isEqualTo(304);
  }

  @Test
  void ifNoneMatchComesBeforeIfModifiedSince() throws IOException {
    // a matching If-None-Match decides alone; a failing one makes If-Modified-Since ignored
    assertThat(status("If-None-Match: " + tag, "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT"))
        .isEqualTo(304);
    assertThat(status("If-None-Match: \"other\"", "If-Modified-Since: " + MODIFIED)).isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "CURRENT|200",
        "*|200",
        "\"0000000000000000\"|412",
        "\"0000000000000000\", CURRENT|200",
        "W/CURRENT|412", // If-Match compares strongly
      })
  void ifMatch(String value, int expected) throws IOException {
    String v = value.replace("CURRENT", tag);
    Response r = Http.exchange(server.port, get("/page.html", "If-Match: " + v));
    assertThat(r.status()).as(v).isEqualTo(expected);
    if (expected == 412) {
      assertThat(r.statusLine()).isEqualTo("HTTP/1.1 412 Precondition Failed");
      assertThat(r.text()).isEqualTo("412 Precondition Failed\n");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Thu, 29 Feb 2024 13:14:15 GMT|200",
        "Fri, 01 Mar 2024 00:00:00 GMT|200",
        "Thu, 29 Feb 2024 13:14:14 GMT|412",
        "Sun, 06 Nov 1994 08:49:37 GMT|412",
        "Sunday, 06-Nov-94 08:49:37 GMT|200", // obsolete forms: ignored
        "Sun Nov  6 08:49:37 1994|200",
        "not a date|200",
      })
  void ifUnmodifiedSince(String date, int expected) throws IOException {
    assertThat(status("If-Unmodified-Since: " + date)).as(date).isEqualTo(expected);
  }

  @Test
  void ifMatchComesBeforeIfUnmodifiedSince() throws IOException {
    assertThat(status("If-Match: " + tag, "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT"))
        .isEqualTo(200);
    assertThat(status("If-Match: \"nope\"", "If-Unmodified-Since: " + MODIFIED)).isEqualTo(412);
  }

  @Test
  void aFailedPreconditionWinsOverARangeAndKeepsTheConnection() throws IOException {
    try (Conn c = new Conn(server.port)) {
      assertThat(c.request(get("/page.html", "If-Match: \"nope\"", "Range: bytes=0-1")).status())
          .isEqualTo(412);
      assertThat(c.request(get("/page.html", "If-Match: " + tag, "Range: bytes=0-1")).text())
          .isEqualTo("<p");
    }
  }

  @Test
  void preconditionsDoNotApplyToMisses() throws IOException {
    assertThat(Http.exchange(server.port, get("/missing.html", "If-Match: \"x\"")).status())
        .isEqualTo(404);
  }
}
