package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tinystatic.server.Http.Conn;
import dev.tinystatic.server.Http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM: stop accepting, finish what is in flight, close idle connections, exit 0 in bounded
 * time.
 */
class SignalTest {

  @TempDir static Path root;
  static byte[] big = new byte[64 << 20];

  @BeforeAll
  static void content() throws IOException {
    new Random(7).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    Files.writeString(root.resolve("hello.txt"), "hello");
  }

  @Test
  @Timeout(30)
  void sigtermDrainsALargeResponseInFlightThenExitsZero() throws Exception {
    try (TinyServer server = TinyServer.start(root);
        Conn download = new Conn(server.port);
        Conn idle = new Conn(server.port)) {
      assertThat(idle.request(get("/hello.txt")).status()).isEqualTo(200);
      download.send(get("/big.bin"));
      Response head = download.read(true); // the head only; the 64 MiB body is still in flight
      assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(big.length));
      InputStream in = download.input();
      byte[] first = in.readNBytes(1 << 20);

      server.terminate();
      // idle keep-alive connections are closed at once, no new connection is accepted...
      assertThat(idle.closedByPeer(2000)).isTrue();
      Thread.sleep(300);
      assertThatThrownBy(() -> new Socket("127.0.0.1", server.port).close())
          .isInstanceOf(ConnectException.class);
      // ...while the response in flight goes on to its last byte
      assertThat(server.process.isAlive()).isTrue();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(first);
      sha.update(in.readNBytes(big.length - first.length));
      assertThat(sha.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(big));
      assertThat(download.closedByPeer(3000)).isTrue();
      assertThat(server.waitFor(Duration.ofSeconds(3))).isZero();
      for (ProcessHandle worker : server.processes()) {
        assertThat(worker.isAlive()).isFalse();
      }
    }
  }

  @Test
  @Timeout(30)
  void aStalledClientCannotHoldTheShutdownBeyondTheDrainBound() throws Exception {
    try (TinyServer server = TinyServer.start(root);
        Conn stalled = new Conn(server.port)) {
      stalled.send(get("/big.bin")); // and never read
      Thread.sleep(200);
      long t0 = System.nanoTime();
      server.terminate();
      assertThat(server.waitFor(Duration.ofSeconds(ServerImage.DRAIN_SECONDS + 3))).isZero();
      long seconds = (System.nanoTime() - t0) / 1_000_000_000;
      assertThat(seconds)
          .isBetween((long) ServerImage.DRAIN_SECONDS - 2, (long) ServerImage.DRAIN_SECONDS + 2);
    }
  }

  @Test
  @Timeout(10)
  void anIdleServerExitsAtOnce() throws Exception {
    try (TinyServer server = TinyServer.start(root)) {
      long t0 = System.nanoTime();
      server.terminate();
      assertThat(server.waitFor(Duration.ofSeconds(3))).isZero();
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1500);
    }
  }

  @Test
  @Timeout(10)
  void sigintToo() throws Exception {
    try (TinyServer server = TinyServer.start(root)) {
      new ProcessBuilder("kill", "-INT", String.valueOf(server.process.pid())).start().waitFor();
      assertThat(server.waitFor(Duration.ofSeconds(3))).isZero();
    }
  }
}
