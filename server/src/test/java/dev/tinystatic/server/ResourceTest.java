package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinystatic.server.Http.Conn;
import dev.tinystatic.server.ServerBinary.Arch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Memory at rest, and the connection cap under a small file-descriptor limit. */
@Timeout(60)
class ResourceTest {

  static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

  static long rssKiB(ProcessHandle p) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for " + p.pid());
  }

  @Test
  void anIdleServerHoldsAFewPagesOfMemory(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("index.html"), "x");
    try (TinyServer server = TinyServer.start(root)) {
      Thread.sleep(1500); // past the first once-a-second tick
      for (ProcessHandle p : server.processes()) {
        // three pages of code, two of state, the stack with the environment, and the two pages
        // of the self-extracting start (unpack.c, which stays mapped; its tables are freed)
        assertThat(rssKiB(p)).as("RSS of process " + p.pid()).isLessThanOrEqualTo(48);
      }
    }
  }

  @Test
  void theConnectionCapHoldsUnderASmallFileLimit(@TempDir Path root) throws Exception {
    assumeTrue(Files.isExecutable(PRLIMIT), "no " + PRLIMIT + " (util-linux)");
    Files.writeString(root.resolve("hello.txt"), "hello");
    List<String> cmd =
        List.of(PRLIMIT.toString(), "--nofile=48:48", TinyServer.binary(Arch.host()).toString());
    try (TinyServer server = TinyServer.start(cmd, root)) {
      List<Conn> conns = new ArrayList<>();
      int served = 0, refused = 0;
      try {
        for (int i = 0; i < 200; i++) {
          Conn c = new Conn(server.port);
          conns.add(c);
          try {
            if (c.request(get("/hello.txt")).status() == 200) {
              served++;
            }
          } catch (IOException e) {
            refused++; // over the cap: accepted and closed at once
          }
        }
        assertThat(refused).as("connections over the cap").isPositive();
        assertThat(served).as("connections under it").isGreaterThan(32);
        // at the cap the workers wait; they do not spin on accept
        Duration cpu0 = cpu(server);
        Thread.sleep(1000);
        assertThat(cpu(server).minus(cpu0).toMillis()).isLessThan(300);
      } finally {
        for (Conn c : conns) {
          c.close();
        }
      }
      Thread.sleep(200);
      assertThat(Http.exchange(server.port, get("/hello.txt")).text()).isEqualTo("hello");
    }
  }

  static Duration cpu(TinyServer server) {
    return server.processes().stream()
        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
        .reduce(Duration.ZERO, Duration::plus);
  }
}
