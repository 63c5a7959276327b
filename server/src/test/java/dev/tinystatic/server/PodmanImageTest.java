package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinystatic.server.ServerBinary.Arch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image run for real by podman + runc, locked down as Kubernetes' restricted profile would:
 * read-only root, no capabilities, non-root user, no privilege escalation. The image is the server
 * image plus a content layer ({@link ServerImage#withContent}), as the operator bakes per-site
 * images (no volume). podman keeps a private store under target/; CONTAINERS_CONF is the project's.
 */
@Timeout(120)
class PodmanImageTest {

  static final Path WORK = TinyServer.WORK.resolve("podman");

  @Test
  void runsTheImageWithAContentLayerLockedDown() throws Exception {
    Podman podman = Podman.available(WORK);

    // layer 2: the site, as the operator's Image delivery adds it
    byte[] helloText = "hello from a scratch container\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(gzipped)) {
      gz.write(helloText);
    }
    OciImage.Layer content =
        TarLayer.of(
            ServerImage.DOCROOT,
            Map.of(
                "index.html", "<h1>from the image</h1>".getBytes(StandardCharsets.UTF_8),
                "hello.txt", helloText,
                "hello.txt.gz", gzipped.toByteArray()));
    OciIndex index =
        ServerImage.withContent(
            ServerImage.platforms(), content, 8080, Map.of("dev.tinystatic.test", "podman"));
    OciImage image = index.image(Arch.host()).orElseThrow();
    Path tar = WORK.resolve("site-image.tar");
    String ref = "localhost/tinystatic/podman-test:1";
    OciArchive.write(index, tar, ref);

    // both halves of the archive load this machine's image: the OCI layout (the index, from
    // which podman takes its own platform) and docker's manifest.json (the first platform)
    for (String transport : List.of("docker-archive:", "oci-archive:")) {
      String id = podman.ok("pull", "-q", transport + tar).out();
      assertThat(id).as(transport).isEqualTo(image.configDigest().getHash());
      podman.run("rmi", "-f", id);
    }
    String name = "tinystatic-test-" + ProcessHandle.current().pid();
    int port = TinyServer.freePort();
    podman.run("rm", "-f", name);
    podman.ok("load", "-i", tar.toString());
    try {
      podman.runLikeAPod(name, port, 8080, ref, "--user", "65532");
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> Http.exchange(port, get("/hello.txt")).status() == 200);
      Http.Response hello = Http.exchange(port, get("/hello.txt"));
      assertThat(hello.text()).isEqualTo("hello from a scratch container\n");
      assertThat(hello.header("ETag")).matches("\"[0-9a-f]{16}\"");
      assertThat(Http.exchange(port, get("/")).text()).isEqualTo("<h1>from the image</h1>");
      assertThat(
              Http.exchange(port, get("/hello.txt", "Accept-Encoding: gzip"))
                  .header("Content-Encoding"))
          .isEqualTo("gzip");
      assertThat(
              podman
                  .ok(
                      "inspect",
                      "--format",
                      "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}",
                      name)
                  .out())
          .isEqualTo("65532 true");
      assertThat(podman.ok("image", "inspect", "--format", "{{.Digest}}", ref).out())
          .as("known by the index digest, as a pod names it")
          .isEqualTo(index.digest().toString());

      // podman stop sends SIGTERM to PID 1 (tinyhttpd) and kills it only after 10 s
      long t0 = System.nanoTime();
      podman.ok("stop", "-t", "10", name);
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(podman.ok("inspect", "--format", "{{.State.ExitCode}}", name).out())
          .isEqualTo("0");
      assertThat(millis).as("stopped by SIGTERM, not killed after the 10 s grace").isLessThan(5000);
      assertThat(podman.ok("logs", name).out()).isEqualTo("tinyhttpd: listening on port 8080");
    } finally {
      podman.run("rm", "-f", name);
      podman.run("rmi", "-f", ref);
    }
  }

  @Test
  void runsTheArm64VariantUnderQemu() throws Exception {
    assumeTrue(
        ServerBinary.isAvailable(Arch.ARM64),
        "no linux-arm64 server in this build (apt-get install gcc-aarch64-linux-gnu)");
    Podman podman = Podman.available(WORK);
    Optional<String> noArm64 = Binfmt.arm64();
    assumeTrue(noArm64.isEmpty(), () -> "arm64 binaries cannot run here: " + noArm64.get());

    OciImage.Layer content =
        TarLayer.of(
            ServerImage.DOCROOT,
            Map.of("index.html", "<h1>arm64 from the index</h1>".getBytes(StandardCharsets.UTF_8)));
    OciIndex index = ServerImage.withContent(ServerImage.platforms(), content, 8080, Map.of());
    OciImage arm = index.image(Arch.ARM64).orElseThrow();
    Path tar = WORK.resolve("arm64-image.tar");
    String ref = "localhost/tinystatic/podman-arm64:1";
    OciArchive.write(index, tar, ref);

    String id = podman.ok("pull", "-q", "--arch", "arm64", "oci-archive:" + tar).out();
    assertThat(id)
        .as("podman took the arm64 image from the index")
        .isEqualTo(arm.configDigest().getHash());
    String name = "tinystatic-arm64-" + ProcessHandle.current().pid();
    int port = TinyServer.freePort();
    podman.run("rm", "-f", name);
    try {
      assertThat(podman.ok("image", "inspect", "--format", "{{.Architecture}}", id).out())
          .isEqualTo("arm64");
      podman.runLikeAPod(name, port, 8080, id, "--arch", "arm64");
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> Http.exchange(port, get("/")).status() == 200);
      assertThat(Http.exchange(port, get("/")).text()).isEqualTo("<h1>arm64 from the index</h1>");
      podman.ok("stop", "-t", "10", name);
      assertThat(podman.ok("inspect", "--format", "{{.State.ExitCode}}", name).out())
          .isEqualTo("0");
    } finally {
      podman.run("rm", "-f", name);
      podman.run("rmi", "-f", id);
    }
  }
}
