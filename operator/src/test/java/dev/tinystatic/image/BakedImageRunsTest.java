package dev.tinystatic.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.server.Podman;
import dev.tinystatic.testing.LocalRegistry;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A baked site image, pushed to a real registry, pulled back by podman and run locked down with no
 * volume at all: the files come from the image.
 */
@Timeout(180)
class BakedImageRunsTest {

  @TempDir Path dir;

  @Test
  void theBakedImageServesItsFilesFromAReadOnlyContainerWithNoVolume() throws Exception {
    Podman podman = Podman.available(dir.resolve("podman"));
    try (var registry = LocalRegistry.start(dir.resolve("registry"))) {
      String page =
          "<!doctype html><title>Baked</title>" + "<p>served from the image itself</p>".repeat(30);
      var image =
          new SiteImage(
              "web/baked",
              SiteImageBakerTest.content(
                  Map.of("index.html", page, "css/site.css", "h1 { color: teal }")),
              9090);
      var baker =
          new SiteImageBaker(
              new RegistryConfig(
                  registry.address() + "/sites", Optional.empty(), true, Optional.empty()));
      BakedImage baked =
          baker.bake(
              image,
              registry.address() + "/sites/web/baked",
              Optional.empty(),
              registry.address() + "/sites/web/baked",
              Optional.empty());

      String name = "tinystatic-baked-" + ProcessHandle.current().pid();
      int port = freePort();
      podman.ok("pull", "--tls-verify=false", baked.pullReference());
      try {
        podman.runLikeAPod(name, port, 9090, baked.pullReference());
        assertThat(podman.ok("inspect", "--format", "{{len .Mounts}} {{.Config.User}}", name).out())
            .isEqualTo("0 65532:65532");

        var http = HttpClient.newHttpClient();
        await()
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(() -> get(http, port, "/css/site.css", false).statusCode() == 200);
        assertThat(new String(get(http, port, "/css/site.css", false).body()))
            .isEqualTo("h1 { color: teal }");
        var plain = get(http, port, "/", false);
        assertThat(new String(plain.body())).isEqualTo(page);
        var gzipped = get(http, port, "/", true);
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gzipped.body().length).isLessThan(page.length());
        assertThat(
                new String(
                    new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes()))
            .isEqualTo(page);
      } finally {
        podman.run("rm", "-f", name);
        podman.run("rmi", "-f", baked.pullReference());
      }
    }
  }

  private static HttpResponse<byte[]> get(HttpClient http, int port, String path, boolean gzip)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5));
    if (gzip) {
      request.header("Accept-Encoding", "gzip");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static int freePort() throws Exception {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
