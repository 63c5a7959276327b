package dev.tinystatic.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteFile;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipTwinsTest {

  static final byte[] PAGE = ("<html>" + "<p>compress me</p>".repeat(50) + "</html>").getBytes();

  @Test
  void compressibleTypesGetADeterministicTwinThatDecompressesToTheFile() throws Exception {
    byte[] one = GzipTwins.twin("index.html", PAGE).orElseThrow();
    byte[] two = GzipTwins.twin("index.html", PAGE.clone()).orElseThrow();
    assertThat(one).isEqualTo(two).hasSizeLessThan(PAGE.length);
    assertThat(new GZIPInputStream(new ByteArrayInputStream(one)).readAllBytes()).isEqualTo(PAGE);
    assertThat(one[4] | one[5] | one[6] | one[7]).as("no timestamp in the header").isZero();
  }

  @Test
  void onlyCompressibleTypesAndOnlyWhenSmaller() {
    assertThat(GzipTwins.twin("logo.png", PAGE)).as("png is compressed already").isEmpty();
    assertThat(GzipTwins.twin("font.woff2", PAGE)).isEmpty();
    assertThat(GzipTwins.twin("tiny.css", "a{}".getBytes())).as("gzip would be bigger").isEmpty();
    assertThat(GzipTwins.twin("app.JS", PAGE)).isPresent();
    assertThat(GzipTwins.twin("v1.2/README", PAGE)).as("no extension").isEmpty();
  }

  @Test
  void aTwinTheUserShippedIsKeptNotReplaced() {
    var image =
        new SiteImage(
            "web/s",
            new SiteContent(
                List.of(
                    SiteFile.binary("app.js", PAGE),
                    SiteFile.binary("app.js.gz", new byte[] {1, 2, 3})),
                Optional.empty()),
            8080);
    assertThat(image.layerFiles().get("app.js.gz")).containsExactly(1, 2, 3);
  }

  @Test
  void theImageKeyFollowsContentPortSiteAndRepositories() {
    var content = new SiteContent(List.of(SiteFile.text("a.html", "a")), Optional.empty());
    String key = key(new SiteImage("web/s", content, 8080), "r/web/s", "r/web/s");
    assertThat(
            key(
                new SiteImage(
                    "web/s",
                    new SiteContent(List.of(SiteFile.text("a.html", "a")), Optional.empty()),
                    8080),
                "r/web/s",
                "r/web/s"))
        .isEqualTo(key);
    assertThat(key(new SiteImage("web/s", content, 8081), "r/web/s", "r/web/s")).isNotEqualTo(key);
    assertThat(key(new SiteImage("web/t", content, 8080), "r/web/s", "r/web/s")).isNotEqualTo(key);
    assertThat(
            key(
                new SiteImage(
                    "web/s",
                    new SiteContent(List.of(SiteFile.text("a.html", "b")), Optional.empty()),
                    8080),
                "r/web/s",
                "r/web/s"))
        .isNotEqualTo(key);
    assertThat(key(new SiteImage("web/s", content, 8080), "other/web/s", "r/web/s"))
        .as("moved registry")
        .isNotEqualTo(key);
    assertThat(key(new SiteImage("web/s", content, 8080), "r/web/s", "pull/web/s"))
        .as("new pull prefix")
        .isNotEqualTo(key);
  }

  private static String key(SiteImage image, String push, String pull) {
    return image.key(push, pull);
  }
}
