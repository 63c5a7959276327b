package dev.tinystatic.server;

import com.google.cloud.tools.jib.image.json.ContainerConfigurationTemplate;
import dev.tinystatic.server.ServerBinary.Arch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's {@code FROM scratch} images, nothing pulled, no daemon: layer 1 is {@code
 * /tinyhttpd} (0555) and an empty {@code /site}, exactly the bytes the build compressed ({@link
 * ServerBinary#layer}); the process runs as {@code 65532:65532} with entrypoint {@code
 * ["/tinyhttpd"]}. The generic image takes {@code -p 8080 -d /site} as CMD (Kubernetes {@code args}
 * replace it, so a Deployment passes {@code -p <port> -d /site}); a site image adds its files as
 * layer 2 on top of the very same layer 1 ({@link #withContent}). No creation time, no history: the
 * same binary always gives the same digest.
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

  /** The generic image for {@code arch}: the server and an empty docroot, for a mounted one. */
  public static OciImage generic(Arch arch) {
    return OciImage.of(List.of(serverLayer(arch)), config(arch, DEFAULT_ARGS, PORT, Map.of()));
  }

  /**
   * A site's image: layer 1 of the server, then {@code content} (its files under {@link #DOCROOT}),
   * serving on {@code port}, with {@code labels}.
   */
  public static OciImage withContent(
      Arch arch, OciImage.Layer content, int port, Map<String, String> labels) {
    // the docroot is the server's default, the port only when it differs from it
    List<String> args = port == PORT ? List.of() : List.of("-p", Integer.toString(port));
    return OciImage.of(List.of(serverLayer(arch), content), config(arch, args, port, labels));
  }

  private static ContainerConfigurationTemplate config(
      Arch arch, List<String> args, int port, Map<String, String> labels) {
    ContainerConfigurationTemplate config = new ContainerConfigurationTemplate();
    config.setArchitecture(arch.goArch());
    config.setOs("linux");
    config.setContainerEntrypoint(ENTRYPOINT);
    if (!args.isEmpty()) {
      config.setContainerCmd(new ArrayList<>(args));
    }
    config.setContainerExposedPorts(Map.of(port + "/tcp", Map.of()));
    if (!labels.isEmpty()) {
      config.setContainerLabels(new TreeMap<>(labels));
    }
    config.setContainerUser(USER);
    return config;
  }

  /**
   * {@code ServerImage TAR [REFERENCE]}: writes the generic amd64 image (the module build runs
   * this).
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ServerImage TAR [REFERENCE]");
      System.exit(2);
    }
    Path tar = Path.of(args[0]).toAbsolutePath();
    String reference = args.length > 1 ? args[1] : defaultImageReference();
    OciImage image = generic(Arch.AMD64);
    OciArchive.write(image, tar, reference);
    System.out.printf(
        "tinystatic server image %s: %,d bytes to download (config %d + layer %d), archive %,d"
            + " bytes (%s), digest %s%n",
        reference,
        image.size(),
        image.config().length,
        image.layerSizes().get(0),
        Files.size(tar),
        tar,
        image.digest());
  }
}
