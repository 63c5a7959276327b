package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinystatic.server.ServerBinary.Arch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The aarch64 binary, run on this machine under qemu-user (apt-get install qemu-user-static). */
@Timeout(60)
class Arm64Test {

  static final Path QEMU = Path.of("/usr/bin/qemu-aarch64-static");

  @Test
  void servesUnderQemu(@TempDir Path dir) throws Exception {
    assumeTrue(
        ServerBinary.isAvailable(Arch.ARM64),
        "no linux-arm64 binary in this build (needs aarch64-linux-gnu-gcc: apt-get install"
            + " gcc-aarch64-linux-gnu)");
    assumeTrue(Files.isExecutable(QEMU), "no " + QEMU + " (apt-get install qemu-user-static)");
    // the ConfigMap layout, which under qemu-user also exercises the /proc/self/fd containment
    // check
    Path root = Files.createDirectories(dir.resolve("site"));
    Path data = Files.createDirectories(root.resolve("..2026_11_27_00_00_00.1"));
    Files.writeString(data.resolve("index.html"), "<h1>arm64</h1>");
    Files.createSymbolicLink(root.resolve("..data"), data.getFileName());
    Files.createSymbolicLink(root.resolve("index.html"), Path.of("..data/index.html"));
    Files.writeString(dir.resolve("outside.txt"), "outside");
    Files.createSymbolicLink(root.resolve("out.txt"), Path.of("../outside.txt"));

    Path bin = TinyServer.binary(Arch.ARM64);
    try (TinyServer server = TinyServer.start(List.of(QEMU.toString(), bin.toString()), root)) {
      Http.Response r = Http.exchange(server.port, get("/"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("<h1>arm64</h1>");
      assertThat(r.header("ETag")).matches("\"[0-9a-f]{16}\"");
      assertThat(Http.exchange(server.port, get("/out.txt")).status()).isEqualTo(404);
      assertThat(Http.exchange(server.port, get("/index.html", "Range: bytes=4-8")).text())
          .isEqualTo("arm64");
      server.terminate();
      assertThat(server.waitFor(Duration.ofSeconds(10))).isZero();
    }
  }

  @Test
  void armBinaryIsWithinTheSizeBudgetToo() {
    assumeTrue(ServerBinary.isAvailable(Arch.ARM64), "no linux-arm64 binary in this build");
    byte[] elf = ServerBinary.bytes(Arch.ARM64);
    assertThat(elf[18]).as("e_machine EM_AARCH64").isEqualTo((byte) 183);
    assertThat(elf.length).isLessThanOrEqualTo(16384);
  }
}
