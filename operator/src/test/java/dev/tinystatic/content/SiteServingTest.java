package dev.tinystatic.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tinystatic.api.CacheRule;
import dev.tinystatic.api.TinyStaticSiteSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The headers file and pages the operator hands tinyhttpd, and what it refuses. */
class SiteServingTest {

  @Test
  void defaultsAreTheSecureHeadersAndNoCacheForEveryFile() throws Exception {
    var serving = SiteServing.of(new TinyStaticSiteSpec(), files("index.html", "css/site.css"));
    assertThat(serving.headersText())
        .isEqualTo(
            "Referrer-Policy: strict-origin-when-cross-origin\r\n"
                + "X-Content-Type-Options: nosniff\r\n"
                + "/\r\n"
                + "Cache-Control: no-cache\r\n");
    assertThat(serving.args("/h")).containsExactly("-m", "/h");
  }

  @Test
  void fingerprintedFilesAreImmutableAndTheLargestGroupIsTheFallback() throws Exception {
    var serving =
        SiteServing.of(
            new TinyStaticSiteSpec(),
            files(
                "index.html",
                "assets/app.3f9a1c2b.js",
                "assets/main-BX3kq9a1.css",
                "assets/vendor-4d2e8f1a9b.js"));
    assertThat(serving.headersText())
        .as("three fingerprinted files share the '/' group; the one page is listed")
        .isEqualTo(
            "Referrer-Policy: strict-origin-when-cross-origin\r\n"
                + "X-Content-Type-Options: nosniff\r\n"
                + "/index.html\r\n"
                + "Cache-Control: no-cache\r\n"
                + "/\r\n"
                + "Cache-Control: public, max-age=31536000, immutable\r\n");
  }

  @Test
  void cacheRulesOverrideByGlobFirstMatchWins() throws Exception {
    var spec = new TinyStaticSiteSpec();
    spec.setCache(
        List.of(
            new CacheRule("assets/private/**", "private, no-store"),
            new CacheRule("assets/**", "public, max-age=600"),
            new CacheRule("*.html", "max-age=60")));
    var rules = parsed(spec);
    assertThat(SiteServing.cacheControl("assets/private/a/b.js", rules))
        .isEqualTo("private, no-store");
    assertThat(SiteServing.cacheControl("assets/app.3f9a1c2b.js", rules))
        .as("a rule wins over the fingerprint default")
        .isEqualTo("public, max-age=600");
    assertThat(SiteServing.cacheControl("docs/deep/index.html", rules))
        .as("a glob without / matches the name at any depth")
        .isEqualTo("max-age=60");
    assertThat(SiteServing.cacheControl("app.3f9a1c2b.js", rules)).isEqualTo(SiteServing.IMMUTABLE);
    assertThat(SiteServing.cacheControl("robots.txt", rules)).isEqualTo(SiteServing.NO_CACHE);
  }

  @Test
  void globs() throws Exception {
    assertThat(CacheGlob.of("assets/**", "f").matches("assets/a/b/c.js")).isTrue();
    assertThat(CacheGlob.of("assets/**", "f").matches("assets")).isFalse();
    assertThat(CacheGlob.of("**/*.css", "f").matches("site.css")).isTrue();
    assertThat(CacheGlob.of("**/*.css", "f").matches("a/b/site.css")).isTrue();
    assertThat(CacheGlob.of("a/*.js", "f").matches("a/b/c.js")).isFalse();
    assertThat(CacheGlob.of("/a/?.js", "f").matches("a/b.js")).isTrue();
    assertThat(CacheGlob.of("img/*.png", "f").matches("img/x.png.gz")).isFalse();
    assertThat(CacheGlob.of("a.b", "f").matches("axb")).as("dots are literal").isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "assets/[a-z]*", "a//b", "a/../b", "a**/b", "{a,b}", "a\\b"})
  void badGlobsAreRefused(String glob) {
    assertThatThrownBy(() -> CacheGlob.of(glob, "spec.cache[0].match"))
        .isInstanceOfSatisfying(
            ContentProblem.class, p -> assertThat(p.reason()).isEqualTo("InvalidCacheRule"))
        .hasMessageStartingWith("spec.cache[0].match: the glob");
  }

  @Test
  void fingerprints() {
    for (String yes :
        List.of(
            "app.3f9a1c2b.js",
            "main-BX3kq9a1.css",
            "chunk-deadbeef.js",
            "a/b/vendor.0123456789abcdef.js",
            "logo-DkQhzYxA.svg",
            "font.1a2b3c4d.woff2")) {
      assertThat(Fingerprint.in(yes)).as(yes).isTrue();
    }
    for (String no :
        List.of(
            "index.html",
            "app.js",
            "jquery.something.js",
            "site-overview.css",
            "app.3f9a1c2.js",
            "3f9a1c2b4d.js",
            "assets.3f9a1c2b/app.js",
            "README-FIRST.txt")) {
      assertThat(Fingerprint.in(no)).as(no).isFalse();
    }
  }

  @Test
  void siteHeadersComeFirstReplaceDefaultsOfAnyCaseAndAnEmptyValueRemovesOne() throws Exception {
    var spec = new TinyStaticSiteSpec();
    spec.setHeaders(
        Map.of(
            "Content-Security-Policy", " default-src 'self' ",
            "referrer-policy", "no-referrer",
            "X-Content-Type-Options", ""));
    assertThat(SiteServing.of(spec, files("index.html")).headersText())
        .isEqualTo(
            "Content-Security-Policy: default-src 'self'\r\n"
                + "referrer-policy: no-referrer\r\n"
                + "/\r\n"
                + "Cache-Control: no-cache\r\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Content-Length",
        "content-type",
        "ETag",
        "Date",
        "Vary",
        "Location",
        "Connection",
        "Transfer-Encoding",
        "Keep-Alive",
        "Upgrade",
        "Cache-Control",
        "X Space",
        "X:Colon",
        "Bad\r\nName",
        "Ünicode"
      })
  void refusedHeaderNames(String name) {
    var spec = new TinyStaticSiteSpec();
    spec.setHeaders(Map.of(name, "x"));
    assertThatThrownBy(() -> SiteServing.of(spec, files("index.html")))
        .isInstanceOfSatisfying(
            ContentProblem.class, p -> assertThat(p.reason()).isEqualTo("InvalidHeader"))
        .hasMessageStartingWith("spec.headers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\r\nSet-Cookie: x", "a\nb", "a\rb", "a\u0000b", "caf\u00e9"})
  void refusedHeaderValues(String value) {
    var spec = new TinyStaticSiteSpec();
    spec.setHeaders(Map.of("X-Site", value));
    assertThatThrownBy(() -> SiteServing.of(spec, files("index.html")))
        .isInstanceOfSatisfying(
            ContentProblem.class, p -> assertThat(p.reason()).isEqualTo("InvalidHeader"))
        .hasMessageStartingWith("spec.headers.X-Site: the value holds");
  }

  @Test
  void theSameNameTwiceInAnotherCaseIsRefused() {
    var spec = new TinyStaticSiteSpec();
    spec.setHeaders(Map.of("X-Frame-Options", "DENY", "x-frame-options", "SAMEORIGIN"));
    assertThatThrownBy(() -> SiteServing.of(spec, files("index.html")))
        .hasMessageContaining("twice");
  }

  @Test
  void aCacheControlWithALineBreakOrNothingIsRefused() {
    var spec = new TinyStaticSiteSpec();
    spec.setCache(List.of(new CacheRule("**", "max-age=1\r\nX-Evil: 1")));
    assertThatThrownBy(() -> SiteServing.of(spec, files("index.html")))
        .hasMessageStartingWith("spec.cache[0].control: the value holds a line break");
    spec.setCache(List.of(new CacheRule("**", " ")));
    assertThatThrownBy(() -> SiteServing.of(spec, files("index.html")))
        .hasMessage("spec.cache[0].control is empty");
  }

  @Test
  void pagesMustBeFilesOfTheSite() throws Exception {
    var spec = new TinyStaticSiteSpec();
    spec.setNotFound("/errors/404.html");
    assertThatThrownBy(() -> SiteServing.of(spec, files("index.html")))
        .isInstanceOfSatisfying(
            ContentProblem.class, p -> assertThat(p.reason()).isEqualTo("NotFoundPageMissing"))
        .hasMessageContaining("'errors/404.html'");
    spec.setNotFound(null);
    spec.setSpa(true);
    assertThatThrownBy(() -> SiteServing.of(spec, files("app.html")))
        .isInstanceOfSatisfying(
            ContentProblem.class, p -> assertThat(p.reason()).isEqualTo("SpaPageMissing"));

    spec.setNotFound("/errors/404.html");
    assertThat(SiteServing.of(spec, files("index.html", "errors/404.html")).args("/h"))
        .containsExactly("-m", "/h", "-n", "errors/404.html", "-s", "index.html");
  }

  @Test
  void aHeadersFileOverTheServersLimitIsRefusedWithWhatToDo() throws Exception {
    // 700 pages and 700 fingerprinted assets: the pages (longer names) are "/", each asset listed
    List<String> paths = new ArrayList<>();
    IntStream.range(0, 700)
        .forEach(
            i -> {
              paths.add("pages/a-rather-long-directory-name/page-" + i + ".html");
              paths.add(String.format("assets/chunk-%08x.js", i * 7919 + 0x10000000));
            });
    assertThatThrownBy(() -> SiteServing.of(new TinyStaticSiteSpec(), files(paths)))
        .isInstanceOfSatisfying(
            ContentProblem.class, p -> assertThat(p.reason()).isEqualTo("HeadersTooLarge"))
        .hasMessageContaining("over its limit of 16,384")
        .hasMessageContaining("700 files");
    var spec = new TinyStaticSiteSpec();
    spec.setCache(List.of(new CacheRule("**", "no-cache")));
    assertThat(SiteServing.of(spec, files(paths)).headersText())
        .as("one policy for every file: one group, whatever the number of files")
        .endsWith("X-Content-Type-Options: nosniff\r\n/\r\nCache-Control: no-cache\r\n");
  }

  @Test
  void theHashCoversHowTheServerAnswers() throws Exception {
    var spec = new TinyStaticSiteSpec();
    var plain = new SiteContent(files("index.html"), java.util.Optional.empty());
    spec.setSpa(true);
    var spa =
        new SiteContent(
            files("index.html"),
            java.util.Optional.empty(),
            SiteServing.of(spec, files("index.html")));
    assertThat(spa.hash()).isNotEqualTo(plain.hash());
  }

  private static List<SiteServing.Rule> parsed(TinyStaticSiteSpec spec) throws ContentProblem {
    List<SiteServing.Rule> rules = new ArrayList<>();
    for (int i = 0; i < spec.getCache().size(); i++) {
      var rule = spec.getCache().get(i);
      rules.add(new SiteServing.Rule(CacheGlob.of(rule.getMatch(), "m"), rule.getControl()));
    }
    return rules;
  }

  private static List<SiteFile> files(String... paths) {
    return files(List.of(paths));
  }

  private static List<SiteFile> files(List<String> paths) {
    return paths.stream().map(p -> SiteFile.text(p, "x")).toList();
  }
}
