package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.server.Http.Conn;
import dev.tinystatic.server.Http.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never another file's bytes: many clients pipelining bursts longer than a turn over more files
 * than a worker's cache holds, all of one size (so a wrong body cannot show by its length), while
 * the files are replaced underneath the way a ConfigMap volume update replaces them.
 */
@Timeout(120)
class IntegrityTest {

  static final int FILES = 1200; // a worker caches 256
  static final int SIZE = 3000; // over the 1 KiB kept in memory: sent from the file
  static final int CLIENTS = 16;
  static final int BURSTS = 60; // per client, each of 1 to 33 requests (a turn answers 16)

  @TempDir Path dir;

  @Test
  void pipelinedBurstsOverManyFilesNeverGetAnotherFilesBytes() throws Exception {
    Outcome o = run(false);
    assertThat(o.wrong() + o.lost()).as(o.toString()).isZero();
  }

  @Test
  void norWhileTheFilesAreReplacedUnderneath() throws Exception {
    Outcome o = run(true);
    assertThat(o.wrong() + o.lost()).as(o.toString()).isZero();
    assertThat(o.versions()).as("versions published during the run").isPositive();
  }

  /** Responses that were right, wrong (not the file asked for), or lost (connection closed). */
  record Outcome(int right, int wrong, int lost, int versions) {}

  /** File i, version v: a first line that names both, then bytes that depend on both. */
  static byte[] content(int i, int v) {
    byte[] b = new byte[SIZE];
    new Random(i * 1_000_003L + v).nextBytes(b);
    byte[] head = ("file " + i + " version " + v + "\n").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  /** Writes version v of every file as a new ConfigMap data directory, then swaps ..data to it. */
  static void publish(Path root, int v) throws IOException {
    Path data = Files.createDirectories(root.resolve("..v" + v));
    for (int i = 0; i < FILES; i++) {
      Files.write(data.resolve("f" + i + ".bin"), content(i, v));
    }
    Path link = root.resolve("..data_tmp");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, data.getFileName());
    Files.move(link, root.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }

  Outcome run(boolean replace) throws Exception {
    Path root = Files.createDirectories(dir.resolve("site"));
    publish(root, 0);
    for (int i = 0; i < FILES; i++) { // f7.bin -> ..data/f7.bin, as the kubelet lays it out
      Files.createSymbolicLink(root.resolve("f" + i + ".bin"), Path.of("..data/f" + i + ".bin"));
    }
    AtomicInteger version = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
    try (TinyServer server = TinyServer.start(root)) {
      Future<?> replacer =
          pool.submit(
              () -> {
                while (replace && !done.get()) {
                  publish(root, version.get() + 1);
                  version.incrementAndGet();
                }
                return null;
              });
      List<Future<int[]>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        long seed = c;
        clients.add(pool.submit(() -> client(server.port, new Random(seed), version)));
      }
      int[] sum = new int[3];
      try {
        for (Future<int[]> f : clients) {
          int[] one = f.get();
          for (int k = 0; k < 3; k++) {
            sum[k] += one[k];
          }
        }
      } finally {
        done.set(true);
        replacer.get();
      }
      return new Outcome(sum[0], sum[1], sum[2], version.get());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * One connection, BURSTS bursts (the same in every run: the seed); each body must be the file
   * asked for, in some published version. Returns {right, wrong, lost}.
   */
  static int[] client(int port, Random random, AtomicInteger version) {
    int[][] bursts = new int[BURSTS][];
    for (int b = 0; b < BURSTS; b++) {
      bursts[b] = new int[1 + random.nextInt(33)];
      for (int k = 0; k < bursts[b].length; k++) {
        bursts[b][k] = random.nextInt(FILES);
      }
    }
    int[] count = new int[3];
    int b = 0;
    int k = 0;
    try (Conn c = new Conn(port)) {
      for (; b < BURSTS; b++) {
        StringBuilder burst = new StringBuilder();
        for (int file : bursts[b]) {
          burst.append(get("/f" + file + ".bin"));
        }
        c.send(burst.toString());
        for (k = 0; k < bursts[b].length; k++) {
          Response r = c.read();
          boolean right = r.status() == 200 && isAVersionOf(r.body(), bursts[b][k], version.get());
          count[right ? 0 : 1]++;
        }
      }
    } catch (IOException e) { // the connection ended: the rest is lost
      for (; b < BURSTS; b++, k = 0) {
        count[2] += bursts[b].length - k;
      }
    }
    return count;
  }

  /** Versions up to latest + 1: the next one may be out before the counter says so. */
  static boolean isAVersionOf(byte[] body, int file, int latest) {
    for (int v = latest + 1; v >= 0; v--) {
      if (Arrays.equals(body, content(file, v))) {
        return true;
      }
    }
    return false;
  }
}
