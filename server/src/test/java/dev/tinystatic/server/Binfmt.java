package dev.tinystatic.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Lets this machine run arm64 binaries, and so arm64 images, through qemu-user-static and the
 * kernel's binfmt_misc (as root; TOOLCHAIN.md). Registers qemu for aarch64 when it is not yet, with
 * the flags of Debian's file (F: the interpreter is opened now, so it also works inside a
 * container's root).
 */
public final class Binfmt {

  static final Path DIR = Path.of("/proc/sys/fs/binfmt_misc");
  static final Path CONF = Path.of("/usr/lib/binfmt.d/qemu-aarch64.conf");

  private Binfmt() {}

  /** Empty when arm64 binaries run here; else why they do not. */
  public static synchronized Optional<String> arm64() {
    Path entry = DIR.resolve("qemu-aarch64");
    try {
      if (Files.exists(entry)) {
        return Files.readString(entry).startsWith("enabled")
            ? Optional.empty()
            : Optional.of(entry + " is registered but disabled");
      }
      if (!Files.isRegularFile(CONF)) {
        return Optional.of("no " + CONF + " (apt-get install qemu-user-static)");
      }
      if (!Files.exists(DIR.resolve("register"))) {
        Process mount =
            new ProcessBuilder("mount", "-t", "binfmt_misc", "binfmt_misc", DIR.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(mount.getInputStream().readAllBytes()).trim();
        if (!mount.waitFor(10, TimeUnit.SECONDS) || mount.exitValue() != 0) {
          return Optional.of("binfmt_misc is not mounted and cannot be: " + out);
        }
      }
      String rule =
          Files.readAllLines(CONF).stream()
              .filter(l -> !l.isBlank() && !l.startsWith("#"))
              .findFirst()
              .orElseThrow(() -> new IOException(CONF + " has no rule"));
      Files.writeString(DIR.resolve("register"), rule);
      return Files.exists(entry)
          ? Optional.empty()
          : Optional.of("registering " + CONF + " left no " + entry);
    } catch (IOException e) {
      if (Files.exists(entry)) {
        return Optional.empty(); // registered meanwhile by another process
      }
      return Optional.of("cannot register qemu-aarch64 with binfmt_misc: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }
}
