package dev.tinystatic.server;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.tinystatic.server.ServerBinary.Arch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The server's {@code FROM scratch} image, built with Jib Core (no daemon, nothing pulled):
 * layer 1 is {@code /tinyhttpd} (mode 0555) and an empty {@code /site}; the process runs as
 * {@code 65532:65532} with entrypoint {@code ["/tinyhttpd"]} and, as CMD, {@code -p 8080 -d /site}
 * (Kubernetes {@code args} replace the CMD, so a Deployment passes {@code -p <port> -d /site}).
 * Creation time and file times are fixed: the same binary always gives the same digest.
 *
 * <p>{@link #builder} returns the Jib builder so that a per-site image can add its content layer
 * on top of the very same layer 1; {@link #writeTar} writes any such image as a Docker-format tar.
 */
public final class ServerImage {

    public static final String BINARY = "/tinyhttpd";
    public static final String DOCROOT = "/site";
    public static final int PORT = 8080;
    public static final String USER = "65532:65532";
    public static final List<String> ENTRYPOINT = List.of(BINARY);
    public static final List<String> DEFAULT_ARGS = List.of("-p", String.valueOf(PORT), "-d", DOCROOT);
    /** Seconds tinyhttpd takes at most to exit after SIGTERM (it drains responses in flight meanwhile). */
    public static final int DRAIN_SECONDS = 8;

    private ServerImage() {
    }

    /** The reference this build gives the generic image, e.g. {@code tinystatic/server:0.1.0-SNAPSHOT}. */
    public static String defaultImageReference() {
        try (InputStream in = ServerImage.class.getResourceAsStream("/tinystatic/server/image.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("image");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Layer 1: the binary at {@code /tinyhttpd} (0555, root-owned, fixed time) and an empty {@code /site}. */
    public static FileEntriesLayer binaryLayer(Path binary, Path emptyDir) {
        return FileEntriesLayer.builder()
                .setName("tinyhttpd")
                .addEntry(emptyDir, AbsoluteUnixPath.get(DOCROOT), FilePermissions.fromOctalString("555"),
                        FileEntriesLayer.DEFAULT_MODIFICATION_TIME, "0:0")
                .addEntry(binary, AbsoluteUnixPath.get(BINARY), FilePermissions.fromOctalString("555"),
                        FileEntriesLayer.DEFAULT_MODIFICATION_TIME, "0:0")
                .build();
    }

    /**
     * The image for {@code arch} as a Jib builder, ready to containerize or to take more layers.
     * The binary is extracted under {@code workDir}, which must outlive the containerization.
     */
    public static JibContainerBuilder builder(Arch arch, Path workDir) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("tinyhttpd-" + arch.goArch()));
        Path binary = ServerBinary.extract(arch, dir.resolve("tinyhttpd"));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        return Jib.fromScratch()
                .setPlatforms(Set.of(new Platform(arch.goArch(), "linux")))
                .setFormat(ImageFormat.Docker)
                .addFileEntriesLayer(binaryLayer(binary, empty))
                .setEntrypoint(ENTRYPOINT)
                .setProgramArguments(DEFAULT_ARGS)
                .setUser(USER)
                .setExposedPorts(Set.of(Port.tcp(PORT)))
                .setWorkingDirectory(AbsoluteUnixPath.get("/"))
                .setCreationTime(Instant.EPOCH);
    }

    /** Containerizes {@code image} into a Docker-format tar named {@code reference}; Jib's caches go to {@code cacheDir}. */
    public static JibContainer writeTar(JibContainerBuilder image, Path tar, String reference, Path cacheDir)
            throws IOException, InterruptedException {
        try {
            Files.createDirectories(tar.toAbsolutePath().getParent());
            return image.containerize(Containerizer.to(TarImage.at(tar).named(reference))
                    .setBaseImageLayersCache(cacheDir.resolve("base"))
                    .setApplicationLayersCache(cacheDir.resolve("application"))
                    .setOfflineMode(true)
                    .setToolName("tinystatic"));
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("bad image reference: " + reference, e);
        } catch (RegistryException | CacheDirectoryCreationException | ExecutionException e) {
            throw new IOException("cannot build image " + reference + ": " + e.getMessage(), e);
        }
    }

    /** {@code ServerImage TAR [REFERENCE]}: writes the generic amd64 image (the module build runs this). */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ServerImage TAR [REFERENCE]");
            System.exit(2);
        }
        Path tar = Path.of(args[0]).toAbsolutePath();
        String reference = args.length > 1 ? args[1] : defaultImageReference();
        Path work = tar.getParent().resolve("image-work");
        JibContainer image = writeTar(builder(Arch.AMD64, work), tar, reference, work.resolve("cache"));
        System.out.printf("tinystatic server image %s: %,d bytes (%s), digest %s, id %s%n",
                reference, Files.size(tar), tar, image.getDigest(), image.getImageId());
    }
}
