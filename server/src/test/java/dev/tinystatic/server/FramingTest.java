package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.server.Http.Conn;
import dev.tinystatic.server.Http.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where one message ends and the next begins (RFC 9112 §2.2, §3.2, §6.3, §9.6): no smuggled
 * request, no ambiguous Host, and an answer that survives the close of a connection with unread
 * bytes.
 */
@Timeout(30)
class FramingTest {

  @TempDir static Path root;
  static TinyServer server;
  static byte[] big = new byte[2 << 20];

  @BeforeAll
  static void start() throws IOException {
    Files.writeString(root.resolve("hello.txt"), "hello, world\n");
    Files.writeString(root.resolve("secret.txt"), "smuggled\n");
    new Random(7).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    server = TinyServer.start(root);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** 400, Connection: close, and nothing after it: not an answer to what followed either. */
  static void rejected(String raw) throws IOException {
    try (Conn c = new Conn(server.port)) {
      Response r = c.request(raw);
      assertThat(r.statusLine()).as(raw).isEqualTo("HTTP/1.1 400 Bad Request");
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(c.closedByPeer(2000)).as("closed after " + raw).isTrue();
    }
  }

  @Test
  void aSecondContentLengthSmugglesNothing() throws IOException {
    String next = get("/secret.txt");
    rejected(
        "GET /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: "
            + next.length()
            + "\r\nContent-Length: 0\r\n\r\n"
            + next);
    rejected(
        "GET /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "5, 5",
        "5,5",
        "+5",
        "-1",
        "0x10",
        "1e3",
        "5 5",
        "",
        "9223372036854775808",
        "99999999999999999999999"
      })
  void invalidContentLengthsAre400(String value) throws IOException {
    rejected("GET /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: " + value + "\r\n\r\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "gzip, chunked", "identity", "chunked, gzip", "CHUNKED"})
  void transferEncodingIs400(String value) throws IOException {
    rejected(
        "GET /hello.txt HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
            + value
            + "\r\n\r\n0\r\n\r\n"
            + get("/secret.txt"));
    rejected(
        "GET /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: "
            + value
            + "\r\n\r\nhello");
  }

  @Test
  void validLengthsStillWork() throws IOException {
    try (Conn c = new Conn(server.port)) { // no body: the connection stays
      assertThat(c.request(get("/hello.txt", "Content-Length: 0")).status()).isEqualTo(200);
      assertThat(c.request(get("/hello.txt", "Content-Length: 000")).status()).isEqualTo(200);
      assertThat(c.request(get("/hello.txt")).text()).isEqualTo("hello, world\n");
    }
    try (Conn c = new Conn(server.port)) { // a body it does not read: answered, then closed
      Response r = c.request(get("/hello.txt", "Content-Length: 0005") + "hello");
      assertThat(r.text()).isEqualTo("hello, world\n");
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(c.closedByPeer(2000)).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /hello.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
        "GET /hello.txt HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: a b\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: a\tb\r\n\r\n",
        "GET /hello.txt HTTP/1.1\r\nHost: example.com, evil.com\r\n\r\n"
      })
  void ambiguousHostsAre400(String raw) throws IOException {
    rejected(raw);
  }

  @Test
  void validHostsStillWork() throws IOException {
    for (String host : new String[] {"example.com", "example.com:8080", "[::1]:80", "", "  t  "}) {
      assertThat(Http.exchange(server.port, "GET /hello.txt HTTP/1.1\r\nHost:" + host + "\r\n\r\n"))
          .extracting(Response::status)
          .as(host)
          .isEqualTo(200);
    }
  }

  @Test
  void emptyLinesBeforeARequestLineAreIgnored() throws IOException {
    try (Conn c = new Conn(server.port)) {
      assertThat(c.request("\r\n" + get("/hello.txt")).text()).isEqualTo("hello, world\n");
      assertThat(c.request("\n" + get("/hello.txt")).text()).isEqualTo("hello, world\n");
      // a client that ends a request with an extra CRLF, then sends the next
      c.send(get("/hello.txt") + "\r\n");
      assertThat(c.read().text()).isEqualTo("hello, world\n");
      assertThat(c.request(get("/secret.txt")).text()).isEqualTo("smuggled\n");
    }
  }

  /**
   * A request with a body the server does not read, answered with 2 MiB, read by the client only
   * after the server is done writing: the whole answer arrives, then the end of the stream, never a
   * reset that would destroy what is still in flight.
   */
  @Test
  void anUnreadBodyDoesNotResetTheAnswer() throws Exception {
    byte[] body = new byte[256 << 10];
    String head = get("/big.bin", "Content-Length: " + body.length);
    try (Conn c = new Conn(server.port)) {
      c.send(head);
      c.send(body);
      Thread.sleep(500); // the server has written what the buffers hold and closes
      Response r = c.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(r.body()).isEqualTo(big);
      assertThat(c.closedByPeer(2000)).isTrue();
    }
  }

  @Test
  void anErrorAnswerSurvivesTheUnreadRequestsAfterIt() throws Exception {
    try (Conn c = new Conn(server.port)) {
      StringBuilder more = new StringBuilder();
      while (more.length() < (256 << 10)) {
        more.append(get("/hello.txt"));
      }
      c.send("GET /%zz HTTP/1.1\r\nHost: t\r\n\r\n" + more);
      Thread.sleep(500);
      Response r = c.read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).isEqualTo("400 Bad Request\n");
      assertThat(c.closedByPeer(2000)).isTrue();
    }
  }
}
