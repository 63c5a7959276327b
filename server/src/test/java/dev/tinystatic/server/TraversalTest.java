package dev.tinystatic.server;

import static dev.tinystatic.server.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.server.Http.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing outside the docroot is ever served, whatever the path or the symlinks say; symlinks that
 * stay inside (the Kubernetes ConfigMap volume layout) are followed.
 */
@Timeout(30)
class TraversalTest {

  static final String SECRET = "TOP-SECRET-MARKER";

  @TempDir static Path base;
  static Path root;
  static TinyServer server;

  @BeforeAll
  static void start() throws IOException {
    // base/secret.txt and base/private/ are outside; base/site is the docroot
    Files.writeString(base.resolve("secret.txt"), SECRET);
    Files.createDirectories(base.resolve("private"));
    Files.writeString(base.resolve("private/key.txt"), SECRET);
    Files.createDirectories(base.resolve("site2"));
    Files.writeString(base.resolve("site2/index.html"), SECRET);
    root = Files.createDirectories(base.resolve("site"));
    Files.writeString(root.resolve("index.html"), "home");
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/b/c.txt"), "deep");

    // symlinks leaving the docroot: relative, absolute, to a file, to a directory, to a sibling
    // prefix
    Files.createSymbolicLink(root.resolve("up.txt"), Path.of("../secret.txt"));
    Files.createSymbolicLink(root.resolve("abs.txt"), base.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("private"), Path.of("../private"));
    Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
    Files.createSymbolicLink(root.resolve("sibling"), Path.of("../site2"));
    Files.createSymbolicLink(root.resolve("a/b/escape.txt"), Path.of("../../../secret.txt"));
    // symlinks that stay inside
    Files.createSymbolicLink(root.resolve("alias.txt"), Path.of("a/b/c.txt"));
    Files.createSymbolicLink(root.resolve("a/b/home.html"), Path.of("../../index.html"));
    Files.createSymbolicLink(root.resolve("selfabs.txt"), root.resolve("a/b/c.txt"));
    server = TinyServer.start(root);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../secret.txt",
        "/../../../../../../../../etc/passwd",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/./../secret.txt",
        "/a/../../secret.txt",
        "/a/b/../../../secret.txt",
        "/a/%2e%2e/%2e%2e/secret.txt",
        "//../secret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/..%5Csecret.txt",
        "/%252e%252e/secret.txt",
        "/..;/secret.txt",
        "/....//secret.txt",
        "/.../secret.txt",
        "/secret.txt%00.html",
        "/index.html%00",
        "/%00",
        "/%c0%ae%c0%ae/secret.txt",
        "/..%c0%afsecret.txt",
        "/%2f%2f..%2f..%2fsecret.txt",
        "/etc/passwd",
        "/up.txt",
        "/abs.txt",
        "/private/key.txt",
        "/private/",
        "/etc/hostname",
        "/sibling/",
        "/sibling/index.html",
        "/a/b/escape.txt",
        "/a/b/escape.txt/",
        "http://host/../secret.txt",
        "http://host/..%2fsecret.txt",
      })
  void neverLeavesTheDocroot(String path) throws IOException {
    Response r = Http.exchange(server.port, get(path));
    assertThat(r.status()).as(path).isIn(400, 404);
    assertThat(r.text()).as(path).doesNotContain(SECRET);
  }

  @Test
  void rawBytesThatDecodeToSeparatorsCannotEscapeEither() throws IOException {
    for (String raw :
        new String[] {
          "GET /..\u0000/secret.txt HTTP/1.1\r\nHost: t\r\n\r\n",
          "GET /\u00c0\u00ae\u00c0\u00ae/secret.txt HTTP/1.1\r\nHost: t\r\n\r\n"
        }) {
      Response r = Http.exchange(server.port, raw);
      assertThat(r.status()).isIn(400, 404);
      assertThat(r.text()).doesNotContain(SECRET);
    }
  }

  @Test
  void symlinksInsideTheDocrootAreFollowed() throws IOException {
    assertThat(Http.exchange(server.port, get("/alias.txt")).text()).isEqualTo("deep");
    assertThat(Http.exchange(server.port, get("/a/b/home.html")).text()).isEqualTo("home");
    assertThat(Http.exchange(server.port, get("/selfabs.txt")).text()).isEqualTo("deep");
    assertThat(Http.exchange(server.port, get("/a/b/../b/c.txt")).text()).isEqualTo("deep");
  }

  @Test
  void servesAKubernetesConfigMapVolumeAndFollowsItsUpdates(@TempDir Path volume) throws Exception {
    // what the kubelet writes: a timestamped directory, ..data -> it, and one symlink per top-level
    // key
    Path v1 = Files.createDirectories(volume.resolve("..2026_11_27_10_00_00.000000001"));
    Files.writeString(v1.resolve("index.html"), "<h1>version 1</h1>");
    Files.createDirectories(v1.resolve("css"));
    Files.writeString(v1.resolve("css/site.css"), "h1 { color: teal }");
    Files.createSymbolicLink(volume.resolve("..data"), Path.of(v1.getFileName().toString()));
    Files.createSymbolicLink(volume.resolve("index.html"), Path.of("..data/index.html"));
    Files.createSymbolicLink(volume.resolve("css"), Path.of("..data/css"));
    try (TinyServer cm = TinyServer.start(volume)) {
      Response home = Http.exchange(cm.port, get("/"));
      assertThat(home.text()).isEqualTo("<h1>version 1</h1>");
      assertThat(home.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
      assertThat(Http.exchange(cm.port, get("/css/site.css")).text())
          .isEqualTo("h1 { color: teal }");
      assertThat(Http.exchange(cm.port, get("/css")).header("Location")).isEqualTo("/css/");

      // an update: new directory, ..data swapped atomically, old directory removed
      Path v2 = Files.createDirectories(volume.resolve("..2026_11_27_10_05_00.000000002"));
      Files.writeString(v2.resolve("index.html"), "<h1>version 2</h1>");
      Files.createDirectories(v2.resolve("css"));
      Files.writeString(v2.resolve("css/site.css"), "h1 { color: plum }");
      Path tmp = volume.resolve("..data_tmp");
      Files.createSymbolicLink(tmp, Path.of(v2.getFileName().toString()));
      Files.move(
          tmp,
          volume.resolve("..data"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      Files.delete(v1.resolve("css/site.css"));
      Files.delete(v1.resolve("css"));
      Files.delete(v1.resolve("index.html"));
      Files.delete(v1);

      Response updated = Http.exchange(cm.port, get("/"));
      assertThat(updated.text()).isEqualTo("<h1>version 2</h1>");
      assertThat(updated.header("ETag")).isNotEqualTo(home.header("ETag"));
      assertThat(Http.exchange(cm.port, get("/css/site.css")).text())
          .isEqualTo("h1 { color: plum }");
    }
  }
}
