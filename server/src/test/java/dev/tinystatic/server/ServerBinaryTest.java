package dev.tinystatic.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tinystatic.server.ServerBinary.Arch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerBinaryTest {

  @Test
  void theAmd64BinaryIsAStaticStrippedElfWithinTheSizeBudget() {
    assertThat(ServerBinary.resource(Arch.AMD64))
        .isEqualTo("tinystatic/server/linux-amd64/tinyhttpd");
    assertThat(ServerBinary.isAvailable(Arch.AMD64)).isTrue();
    byte[] elf = ServerBinary.bytes(Arch.AMD64);
    assertThat(elf).startsWith(0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* little-endian */);
    assertThat(elf[16]).as("e_type ET_EXEC: static, not PIE").isEqualTo((byte) 2);
    assertThat(elf[18]).as("e_machine EM_X86_64").isEqualTo((byte) 62);
    // Issue 10's budget. The shipped binary is self-extracting (server/README.md, "Size"):
    // the server as linked is 9,430 bytes, packed about 6,750.
    assertThat(elf.length).as("the size budget").isLessThanOrEqualTo(8192);
    assertThat(new String(elf, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("GCC:", ".interp");
  }

  @Test
  void extractsAnExecutableFile(@TempDir Path dir) throws Exception {
    Path bin = ServerBinary.extract(Arch.AMD64, dir.resolve("x/tinyhttpd"));
    assertThat(Files.readAllBytes(bin)).isEqualTo(ServerBinary.bytes(Arch.AMD64));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bin)))
        .isEqualTo("r-xr-xr-x");
    ServerBinary.extract(Arch.AMD64, bin); // again, over a read-only file
    assertThat(Files.list(bin.getParent())).containsExactly(bin);
  }

  @Test
  void architectures() {
    assertThat(Arch.of("x86_64")).isEqualTo(Arch.AMD64);
    assertThat(Arch.of("amd64")).isEqualTo(Arch.AMD64);
    assertThat(Arch.of("aarch64")).isEqualTo(Arch.ARM64);
    assertThat(Arch.of("ARM64")).isEqualTo(Arch.ARM64);
    assertThat(Arch.ARM64.goArch()).isEqualTo("arm64");
    assertThatThrownBy(() -> Arch.of("s390x")).isInstanceOf(IllegalArgumentException.class);
  }
}
