package dev.tinystatic.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SitePathTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "index.html",
        "css/site.css",
        "a/b/c/d.js",
        ".well-known/security.txt",
        "img/logo@2x.png",
        "docs/v1.2/read-me_now~.txt",
        "a+b=c,d.txt",
        "404.html"
      })
  void acceptsCleanRelativePaths(String path) {
    assertThatCode(() -> SitePath.validate(path)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/etc/passwd        | must be relative",
        "../secret          | '.' and '..' segments",
        "a/../../b          | '.' and '..' segments",
        "./index.html       | '.' and '..' segments",
        "a//b.html          | empty segment",
        "docs/              | names a directory",
        "..data/index.html  | reserved by Kubernetes",
        "a/..2026_11/x.html | reserved by Kubernetes",
        "my file.html       | allowed characters",
        "a\\b.html          | allowed characters",
        "%2e%2e/x           | allowed characters",
        "é.html             | allowed characters",
        "a?b                | allowed characters",
        "a:b                | allowed characters"
      })
  void refusesPathsWithAReason(String path, String reason) {
    assertThatThrownBy(() -> SitePath.validate(path))
        .isInstanceOf(ContentProblem.class)
        .hasMessageContaining("'" + path + "'")
        .hasMessageContaining(reason)
        .extracting(e -> ((ContentProblem) e).reason())
        .isEqualTo("InvalidPath");
  }

  @org.junit.jupiter.api.Test
  void refusesEmptyNulAndOverlongPaths() {
    assertThatThrownBy(() -> SitePath.validate("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> SitePath.validate("a\0b")).hasMessageContaining("allowed characters");
    assertThatThrownBy(() -> SitePath.validate("a/".repeat(100) + "b"))
        .hasMessageContaining("longer than 200");
    assertThatThrownBy(() -> SitePath.validate("_".repeat(90)))
        .hasMessageContaining("ConfigMap key would exceed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"index.html", "css/site.css", "a_b/c~d+e@f,g=h.txt", "x-y.z/.hidden"})
  void keysAreValidConfigMapKeys(String path) {
    assertThat(SitePath.toKey(path)).matches("[-._a-zA-Z0-9]+").doesNotContain("/");
  }

  @org.junit.jupiter.api.Test
  void noTwoPathsShareAKey() {
    var paths =
        java.util.List.of(
            "a/b", "a_b", "a_2fb", "a_5fb", "a-b", "a.b", "a~b", "a+b", "a/_b", "a_/b", "a__b");
    assertThat(paths.stream().map(SitePath::toKey).distinct()).hasSameSizeAs(paths);
  }

  @org.junit.jupiter.api.Test
  void keysAreReadable() {
    assertThat(SitePath.toKey("css/site.css")).isEqualTo("css_2fsite.css");
    assertThat(SitePath.toKey("a_b")).isEqualTo("a_5fb");
  }
}
