package dev.tinystatic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.spa, notFound, cache and headers through the real native server: {@code tinystatic serve}
 * hands it the headers file and pages the operator computes for a pod, so each behaviour here is
 * what the cluster serves.
 */
@Timeout(120)
class ServeSiteBehaviourTest {

  static final String SITE =
      """
      apiVersion: tinystatic.dev/v1alpha1
      kind: TinyStaticSite
      metadata: { name: app }
      spec:
        spa: true
        notFound: 404.html
        cache:
          - { match: "data/*.json", control: "max-age=60" }
        headers:
          Content-Security-Policy: "default-src 'self'"
          Referrer-Policy: no-referrer
        files:
          index.html: "<h1>app shell</h1>"
          404.html: "<h1>no such page</h1>"
          assets/app.3f9a1c2b.js: "console.log('app')"
          assets/main-BX3kq9a1.css: "body{}"
          assets/logo.js: "unfingerprinted"
          data/prices.json: "{}"
          docs/index.html: "<h1>docs</h1>"
      """;

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static CliProcess cli;
  static int port;

  @BeforeAll
  static void serve(@TempDir Path dir) throws Exception {
    Path site = Files.writeString(dir.resolve("app.yaml"), SITE);
    port = ServeCommandTest.freePort();
    cli = CliProcess.start("serve", site.toString(), "--port", Integer.toString(port));
    cli.awaitLine("Serving", Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() throws Exception {
    cli.close();
  }

  @Test
  void htmlAndUnfingerprintedFilesAreRevalidatedAndFingerprintedOnesKeptAYear() throws Exception {
    assertThat(get("/").headers().firstValue("Cache-Control")).contains("no-cache");
    assertThat(get("/docs/").headers().firstValue("Cache-Control")).contains("no-cache");
    assertThat(get("/assets/logo.js").headers().firstValue("Cache-Control")).contains("no-cache");
    assertThat(get("/assets/app.3f9a1c2b.js").headers().firstValue("Cache-Control"))
        .contains("public, max-age=31536000, immutable");
    assertThat(get("/assets/main-BX3kq9a1.css").headers().firstValue("Cache-Control"))
        .contains("public, max-age=31536000, immutable");
  }

  @Test
  void aCacheRuleOverridesTheDefault() throws Exception {
    assertThat(get("/data/prices.json").headers().allValues("Cache-Control"))
        .containsExactly("max-age=60");
  }

  @Test
  void clientSideRoutesGetTheAppShell() throws Exception {
    var route = get("/settings/profile");
    assertThat(route.statusCode()).isEqualTo(200);
    assertThat(route.body()).isEqualTo("<h1>app shell</h1>");
    assertThat(route.headers().firstValue("Cache-Control")).contains("no-cache");
  }

  @Test
  void missingAssetsGetTheNotFoundPageWithStatus404() throws Exception {
    var asset = get("/assets/app.js");
    assertThat(asset.statusCode()).isEqualTo(404);
    assertThat(asset.body()).isEqualTo("<h1>no such page</h1>");
    assertThat(asset.headers().firstValue("Content-Security-Policy"))
        .contains("default-src 'self'");
  }

  @Test
  void headersAndSecureDefaultsAreOnEveryAnswer304AndErrorsIncluded() throws Exception {
    var page = get("/");
    String etag = page.headers().firstValue("ETag").orElseThrow();
    var notModified =
        HTTP.send(
            request("/").header("If-None-Match", etag).build(),
            HttpResponse.BodyHandlers.ofString());
    var refused =
        HTTP.send(
            request("/").method("DELETE", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(refused.statusCode()).isEqualTo(405);
    for (var answer : java.util.List.of(page, notModified, refused, get("/nothing.png"))) {
      assertThat(answer.headers().firstValue("Content-Security-Policy"))
          .as("status %d", answer.statusCode())
          .contains("default-src 'self'");
      assertThat(answer.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(answer.headers().allValues("Referrer-Policy"))
          .as("the site's value replaces the default")
          .containsExactly("no-referrer");
    }
    assertThat(notModified.headers().firstValue("Cache-Control")).contains("no-cache");
  }

  @Test
  void aHeaderTheServerComputesIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
    Path site =
        Files.writeString(
            dir.resolve("bad.yaml"),
            SITE.replace("Referrer-Policy: no-referrer", "Content-Length: \"5\""));
    try (var bad =
        CliProcess.start(
            "serve", site.toString(), "--port", Integer.toString(ServeCommandTest.freePort()))) {
      assertThat(bad.waitFor()).isEqualTo(ExitCodes.INVALID_INPUT);
      assertThat(bad.output())
          .contains("InvalidHeader")
          .contains("the server sets Content-Length itself");
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5));
  }
}
