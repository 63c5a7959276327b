package dev.tinystatic.server;

import dev.tinystatic.server.ServerBinary.Arch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's {@code FROM scratch} images, nothing pulled, no daemon: layer 1 is {@code
 * /tinyhttpd} (0555) and an empty {@code /site}, exactly the bytes the build compressed ({@link
 * ServerBinary#layer}); the process runs as {@code 65532:65532} with entrypoint {@code
 * ["/tinyhttpd"]}. The generic image takes {@code -p 8080 -d /site} as CMD (Kubernetes {@code args}
 * replace it, so a Deployment passes {@code -p <port> -d /site}); a site image adds its files as
 * layer 2 on top of the very same layer 1 ({@link #withContent}). No creation time, no history: the
 * same binary always gives the same digest. One image per architecture (each with its own layer 1),
 * gathered in an {@link OciIndex}: linux/amd64 and, where the build made it, linux/arm64.
 */
public final class ServerImage {

  public static final String BINARY = "/tinyhttpd";
  public static final String DOCROOT = "/site";
  public static final int PORT = 8080;
  public static final String USER = "65532:65532";
  public static final List<String> ENTRYPOINT = List.of(BINARY);
  public static final List<String> DEFAULT_ARGS =
      List.of("-p", String.valueOf(PORT), "-d", DOCROOT);

  /**
   * Seconds tinyhttpd takes at most to exit after SIGTERM (it drains responses in flight
   * meanwhile).
   */
  public static final int DRAIN_SECONDS = 8;

  /** Read and digested once per architecture: every bake uses them. */
  private static final Map<Arch, OciImage.Layer> SERVER_LAYERS = new ConcurrentHashMap<>();

  private ServerImage() {}

  /**
   * The reference this build gives the generic image, e.g. {@code
   * tinystatic/server:0.1.0-SNAPSHOT}.
   */
  public static String defaultImageReference() {
    try (InputStream in =
        ServerImage.class.getResourceAsStream("/tinystatic/server/image.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("image");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Layer 1 for {@code arch}: the build's bytes, shared by the generic image and every site image.
   */
  public static OciImage.Layer serverLayer(Arch arch) {
    return SERVER_LAYERS.computeIfAbsent(arch, a -> OciImage.Layer.of(ServerBinary.layer(a)));
  }

  /** The architectures this build carries a server for: amd64, and arm64 where it was built. */
  public static List<Arch> platforms() {
    return Arrays.stream(Arch.values()).filter(ServerBinary::isAvailable).toList();
  }

  /** The generic image for {@code arch}: the server and an empty docroot, for a mounted one. */
  public static OciImage generic(Arch arch) {
    return OciImage.of(List.of(serverLayer(arch)), config(arch, DEFAULT_ARGS));
  }

  /** The generic image for every platform this build carries. */
  public static OciIndex generic() {
    return OciIndex.of(platforms().stream().map(ServerImage::generic).toList(), Map.of());
  }

  /**
   * A site's image for {@code arch}: layer 1 of the server, then {@code content} (its files under
   * {@link #DOCROOT}), serving on {@code port}.
   */
  public static OciImage withContent(Arch arch, OciImage.Layer content, int port) {
    // the docroot is the server's default, the port only when it differs from it
    List<String> args = port == PORT ? List.of() : List.of("-p", Integer.toString(port));
    return OciImage.of(List.of(serverLayer(arch), content), config(arch, args));
  }

  /**
   * A site's image for each of {@code platforms}, all with the same {@code content} layer, in one
   * index carrying {@code annotations}.
   */
  public static OciIndex withContent(
      List<Arch> platforms, OciImage.Layer content, int port, Map<String, String> annotations) {
    return OciIndex.of(
        platforms.stream().map(arch -> withContent(arch, content, port)).toList(), annotations);
  }

  private static ImageConfig config(Arch arch, List<String> args) {
    return new ImageConfig(arch, ENTRYPOINT, args, USER);
  }

  /**
   * {@code ServerImage TAR [REFERENCE]}: writes the generic image, every platform of this build in
   * one index (the module build runs this).
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ServerImage TAR [REFERENCE]");
      System.exit(2);
    }
    Path tar = Path.of(args[0]).toAbsolutePath();
    String reference = args.length > 1 ? args[1] : defaultImageReference();
    OciIndex index = generic();
    OciArchive.write(index, tar, reference);
    System.out.printf(
        "tinystatic server image %s: index %s, archive %,d bytes (%s)%n",
        reference, index.digest(), Files.size(tar), tar);
    for (OciImage image : index.images()) {
      System.out.printf(
          "  %s: %,d bytes to download (config %d + layer %d)%n",
          image.arch().platform(), image.size(), image.config().length, image.layerSizes().get(0));
    }
  }
}
