package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.server.Http.Conn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many, slow and idle clients, all on 127.0.0.1, bounded in time and count. */
class ConcurrencyTest {

  @TempDir static Path root;
  static TinyServer server;

  @BeforeAll
  static void start() throws IOException {
    Files.writeString(root.resolve("hello.txt"), "hello, world\n");
    byte[] big = new byte[32 << 20];
    new Random(1).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    server = TinyServer.start(root);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  @Timeout(20)
  void slowAndStalledClientsDoNotBlockAFastOne() throws Exception {
    List<Conn> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Conn half = new Conn(server.port); // half a request, then nothing
        half.send("GET /hello.txt HTTP/1.1\r\nHo");
        slow.add(half);
        Conn stalled = new Conn(server.port); // asks for 32 MiB and reads none of it
        stalled.send(get("/big.bin"));
        slow.add(stalled);
      }
      for (int i = 0; i < 50; i++) {
        long t0 = System.nanoTime();
        assertThat(Http.exchange(server.port, get("/hello.txt")).text())
            .isEqualTo("hello, world\n");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
      }
      // the slow ones were kept waiting, not dropped: the half request completes fine
      Conn half = slow.get(0);
      half.send("st: t\r\n\r\n");
      assertThat(half.read().text()).isEqualTo("hello, world\n");
    } finally {
      for (Conn c : slow) {
        c.close();
      }
    }
  }

  @Test
  @Timeout(60)
  void holdsAThousandKeepAliveConnectionsAtOnce() throws IOException {
    List<Conn> conns = new ArrayList<>();
    try {
      for (int i = 0; i < 1000; i++) {
        conns.add(new Conn(server.port));
      }
      for (int round = 0; round < 2; round++) { // all open at once, each used twice
        for (Conn c : conns) {
          c.send(get("/hello.txt"));
        }
        for (Conn c : conns) {
          assertThat(c.read().text()).isEqualTo("hello, world\n");
        }
      }
    } finally {
      for (Conn c : conns) {
        c.close();
      }
    }
  }

  @Test
  @Timeout(30)
  void idleAndTricklingClientsAreTimedOut() throws Exception {
    // tinyhttpd's timeout is 10 s: for an idle keep-alive connection, and for a request head
    // to arrive completely (a client trickling one byte a second does not extend it)
    try (Conn idle = new Conn(server.port);
        Conn trickle = new Conn(server.port);
        Conn silent = new Conn(server.port)) {
      assertThat(idle.request(get("/hello.txt")).status()).isEqualTo(200);
      long t0 = System.nanoTime();
      String request = get("/hello.txt") + "X".repeat(50);
      boolean closed = false;
      for (int i = 0; i < request.length() && !closed; i++) {
        try {
          trickle.send(request.substring(i, i + 1));
        } catch (IOException e) {
          closed = true;
        }
        closed |= trickle.closedByPeer(1000);
      }
      long trickleSeconds = (System.nanoTime() - t0) / 1_000_000_000;
      assertThat(closed).as("trickling client closed").isTrue();
      assertThat(trickleSeconds).isBetween(8L, 13L);
      assertThat(idle.closedByPeer(3000)).as("idle keep-alive closed").isTrue();
      assertThat(silent.closedByPeer(3000)).as("silent connection closed").isTrue();
    }
  }
}
