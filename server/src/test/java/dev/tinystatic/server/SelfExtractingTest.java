package dev.tinystatic.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.server.ServerBinary.Arch;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped tinyhttpd is self-extracting (src/main/c/pack): once it runs, its memory must hold
 * exactly the server as the build linked it, in pages that are executable but not writable. Read
 * from the running processes (/proc/PID/mem and maps), on this machine's architecture.
 */
@Timeout(60)
class SelfExtractingTest {

  /** The server as linked, before packing (the Makefile's PACKING directory). */
  static final Path LINKED =
      Path.of("target/native-pack/linux-" + Arch.host().goArch() + "/tinyhttpd");

  @Test
  void theRunningServerIsTheServerAsLinkedInPagesNeverWritableAndExecutable(@TempDir Path root)
      throws Exception {
    assertThat(LINKED).as("the linked server the build packed").isRegularFile();
    byte[] elf = Files.readAllBytes(LINKED);
    ByteBuffer header = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    long phoff = header.getLong(32);
    int phnum = Short.toUnsignedInt(header.getShort(56));
    int headers = (int) phoff + phnum * 56;
    int code = (int) phoff; // the first program header: the code, from file offset 0
    assertThat(header.getInt(code)).as("PT_LOAD").isEqualTo(1);
    long start = header.getLong(code + 16);
    int bytes = (int) header.getLong(code + 32);
    byte[] linked = Arrays.copyOfRange(elf, headers, bytes);

    Files.writeString(root.resolve("index.html"), "x");
    Path shipped = TinyServer.binary(Arch.host());
    assertThat(Files.size(shipped)).as("packed").isLessThan(elf.length);
    try (TinyServer server = TinyServer.start(List.of(shipped.toString()), root)) {
      for (ProcessHandle p : server.processes()) {
        List<String> maps = Files.readAllLines(Path.of("/proc/" + p.pid() + "/maps"));
        assertThat(maps)
            .as("no mapping both writable and executable")
            .noneMatch(line -> line.split(" ")[1].matches("rwx."));
        assertThat(maps)
            .as("the server's code mapped read and execute")
            .anyMatch(
                line ->
                    line.startsWith(String.format("%08x-", start))
                        && line.split(" ")[1].equals("r-xp"));
        byte[] running = new byte[linked.length];
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + p.pid() + "/mem", "r")) {
          mem.seek(start + headers);
          mem.readFully(running);
        }
        assertThat(running).as("the code of process " + p.pid()).isEqualTo(linked);
      }
    }
  }
}
