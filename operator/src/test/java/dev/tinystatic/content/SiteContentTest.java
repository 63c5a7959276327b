package dev.tinystatic.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SiteContentTest {

  @Test
  void theHashDependsOnPathsAndBytesNotOnOrder() {
    var one = content(SiteFile.text("a.html", "A"), SiteFile.text("b.html", "B"));
    var other = content(SiteFile.text("b.html", "B"), SiteFile.text("a.html", "A"));
    assertThat(one.hash()).isEqualTo(other.hash()).matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void anyChangeOfABytePathOrBoundaryChangesTheHash() {
    String base = content(SiteFile.text("ab", "c")).hash();
    assertThat(content(SiteFile.text("ab", "d")).hash()).isNotEqualTo(base);
    assertThat(content(SiteFile.text("ac", "c")).hash()).isNotEqualTo(base);
    assertThat(content(SiteFile.text("a", "bc")).hash())
        .as("path/content boundary")
        .isNotEqualTo(base);
    assertThat(content(SiteFile.text("ab", "c"), SiteFile.text("x", "")).hash())
        .as("an empty file counts")
        .isNotEqualTo(base);
  }

  @Test
  void theSameBytesHashTheSameWhateverTheirSource() {
    assertThat(content(SiteFile.text("a.txt", "hi")).hash())
        .isEqualTo(content(SiteFile.binary("a.txt", "hi".getBytes())).hash());
  }

  private static SiteContent content(SiteFile... files) {
    return new SiteContent(List.of(files), Optional.empty());
  }
}
