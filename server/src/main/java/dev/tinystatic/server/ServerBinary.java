package dev.tinystatic.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * The tinyhttpd binaries this jar carries, one per architecture, as classpath resources at {@code
 * tinystatic/server/linux-<arch>/tinyhttpd} (static, freestanding Linux executables).
 */
public final class ServerBinary {

  /** A CPU architecture, named as Go and OCI images name it. */
  public enum Arch {
    AMD64("amd64"),
    ARM64("arm64");

    private final String goArch;

    Arch(String goArch) {
      this.goArch = goArch;
    }

    /** "amd64" or "arm64": the OCI platform architecture and the resource directory suffix. */
    public String goArch() {
      return goArch;
    }

    /** The architecture of a Java {@code os.arch} or OCI name (x86_64, amd64, aarch64, arm64). */
    public static Arch of(String name) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "amd64":
        case "x86_64":
        case "x64":
          return AMD64;
        case "arm64":
        case "aarch64":
          return ARM64;
        default:
          throw new IllegalArgumentException("unsupported architecture: " + name);
      }
    }

    /**
     * The OCI platform of the image for this architecture: {@code linux/amd64}, {@code
     * linux/arm64}.
     */
    public String platform() {
      return "linux/" + goArch;
    }

    /** The architecture of a platform, {@code linux/arm64} (or just {@code arm64}, or aarch64). */
    public static Arch ofPlatform(String platform) {
      String name =
          platform.startsWith("linux/") ? platform.substring("linux/".length()) : platform;
      name = name.equals("arm64/v8") ? "arm64" : name; // the one variant arm64 has
      if (name.contains("/")) {
        throw new IllegalArgumentException(
            "unsupported platform: " + platform + " (linux/amd64 and linux/arm64 are)");
      }
      return of(name);
    }

    /** The architecture this JVM runs on. */
    public static Arch host() {
      return of(System.getProperty("os.arch"));
    }
  }

  private ServerBinary() {}

  /** The classpath resource of the binary, e.g. {@code tinystatic/server/linux-amd64/tinyhttpd}. */
  public static String resource(Arch arch) {
    return "tinystatic/server/linux-" + arch.goArch() + "/tinyhttpd";
  }

  /**
   * Layer 1 of the server's images, gzipped: {@code /tinyhttpd} and an empty {@code /site}, built
   * beside the binary by the Makefile (resource {@code
   * tinystatic/server/linux-<arch>/layer.tar.gz}).
   */
  public static byte[] layer(Arch arch) {
    String resource = "tinystatic/server/linux-" + arch.goArch() + "/layer.tar.gz";
    try (InputStream in = ServerBinary.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "this build has no server layer for linux/"
                + arch.goArch()
                + " (resource "
                + resource
                + ")");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether this jar carries the binary (arm64 is only built where a cross compiler was installed).
   */
  public static boolean isAvailable(Arch arch) {
    return ServerBinary.class.getClassLoader().getResource(resource(arch)) != null;
  }

  /** The binary's bytes. */
  public static byte[] bytes(Arch arch) {
    try (InputStream in = open(arch)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the binary to {@code target} (replacing it), mode r-xr-xr-x, and returns {@code target}.
   */
  public static Path extract(Arch arch, Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".tinyhttpd", ".tmp");
    try (InputStream in = open(arch)) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
      return Files.move(
          tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static InputStream open(Arch arch) throws IOException {
    InputStream in = ServerBinary.class.getClassLoader().getResourceAsStream(resource(arch));
    if (in == null) {
      throw new IOException(
          "this build has no tinyhttpd for linux/"
              + arch.goArch()
              + " (resource "
              + resource(arch)
              + "; the arm64 one needs aarch64-linux-gnu-gcc at build time)");
    }
    return in;
  }
}
