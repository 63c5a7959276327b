package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.server.Http.Conn;
import dev.tinystatic.server.Http.Response;
import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first request for a multi-GiB file, whose content hash (its ETag) takes seconds, stalls no one
 * else: the server hashes it in slices between the other clients' requests.
 */
@Timeout(120)
class ColdFileTest {

  static final long SIZE = 2L << 30; // sparse: reads as zeros, takes no disk
  static final int CLIENTS = 16;

  @TempDir Path root;

  /** FNV-1a 64 of n zero bytes: each byte only multiplies by the prime. */
  static String etagOfZeros(long n) {
    BigInteger mod = BigInteger.ONE.shiftLeft(64);
    BigInteger h =
        new BigInteger("cbf29ce484222325", 16)
            .multiply(new BigInteger("100000001b3", 16).modPow(BigInteger.valueOf(n), mod))
            .mod(mod);
    return "\"" + String.format("%16s", h.toString(16)).replace(' ', '0') + "\"";
  }

  @Test
  void otherClientsAreAnsweredWhileABigFileIsHashed() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
      f.setLength(SIZE);
    }
    Files.writeString(root.resolve("small.txt"), "small");
    List<Conn> clients = new ArrayList<>();
    try (TinyServer server = TinyServer.start(root);
        Conn cold = new Conn(server.port)) {
      for (int i = 0; i < CLIENTS; i++) {
        Conn c = new Conn(server.port);
        clients.add(c);
        assertThat(c.request(get("/small.txt")).text()).isEqualTo("small");
      }
      cold.socket.setSoTimeout(100_000);
      cold.send(get("/big.bin", "Range: bytes=0-3"));
      CompletableFuture<Response> big =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return cold.read();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      List<Long> millis = new ArrayList<>();
      while (!big.isDone()) { // every client, in turn, while the hash goes on
        for (Conn c : clients) {
          long t0 = System.nanoTime();
          assertThat(c.request(get("/small.txt")).text()).isEqualTo("small");
          millis.add((System.nanoTime() - t0) / 1_000_000);
        }
      }
      Response r = big.get();
      assertThat(r.status()).isEqualTo(206);
      assertThat(r.body()).containsExactly(0, 0, 0, 0);
      assertThat(r.header("ETag")).as("derived from the content").isEqualTo(etagOfZeros(SIZE));

      assertThat(millis).as("answers while the hash ran").hasSizeGreaterThanOrEqualTo(CLIENTS);
      // 100 ms each; this machine is shared, so 1 in 20 may be late, none by a second
      long late = millis.stream().filter(ms -> ms > 100).count();
      assertThat(late)
          .as("answers over 100 ms of " + millis.size())
          .isLessThanOrEqualTo(millis.size() / 20);
      assertThat(millis.stream().mapToLong(Long::longValue).max().getAsLong()).isLessThan(1000);
    } finally {
      for (Conn c : clients) {
        c.close();
      }
    }
  }
}
