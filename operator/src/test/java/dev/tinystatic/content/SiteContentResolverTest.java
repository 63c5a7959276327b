package dev.tinystatic.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tinystatic.api.ContentFrom;
import dev.tinystatic.api.TinyStaticSiteSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SiteContentResolverTest {

  @Test
  void textBinaryAndReferencedFilesBecomeOneSortedContent() throws Exception {
    var spec = spec(Map.of("index.html", "<h1>Hi</h1>", "css/site.css", "h1{}"));
    spec.setBinaryFiles(Map.of("img/dot.png", base64(new byte[] {(byte) 0x89, 'P', 'N', 'G'})));
    spec.setContentFrom(new ContentFrom(new ContentFrom.ConfigMapRef("extra")));
    ConfigMap extra =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("extra")
            .addToLabels("tinystatic.dev/content", "true")
            .endMetadata()
            .addToData("about.html", "about")
            .addToBinaryData("font.woff2", base64(new byte[] {0, 1, 2}))
            .build();

    SiteContent content = SiteContentResolver.resolve(spec, Optional.of(extra));

    assertThat(content.files())
        .extracting(SiteFile::path)
        .containsExactly("about.html", "css/site.css", "font.woff2", "img/dot.png", "index.html");
    assertThat(content.inlineFiles())
        .extracting(SiteFile::key)
        .containsExactly("css_2fsite.css", "img_2fdot.png", "index.html");
    assertThat(content.referencedFiles())
        .extracting(SiteFile::key)
        .containsExactly("about.html", "font.woff2");
    assertThat(content.totalBytes()).isEqualTo(11 + 4 + 4 + 5 + 3);
    assertThat(content.count()).isEqualTo(5);
    assertThat(content.referencedConfigMap()).contains("extra");
  }

  @Test
  void base64MayBeWrappedOverLinesButNotInvalid() throws Exception {
    var spec = spec(Map.of());
    String wrapped = base64("hello world, a longer binary file".getBytes(StandardCharsets.UTF_8));
    spec.setBinaryFiles(Map.of("a.bin", wrapped.substring(0, 10) + "\n" + wrapped.substring(10)));
    assertThat(SiteContentResolver.resolve(spec, Optional.empty()).files().get(0).text())
        .isEqualTo("hello world, a longer binary file");

    spec.setBinaryFiles(Map.of("a.bin", "not*base64!"));
    assertThatThrownBy(() -> SiteContentResolver.resolve(spec, Optional.empty()))
        .isInstanceOf(ContentProblem.class)
        .hasMessageContaining("binary file 'a.bin' is not valid base64")
        .extracting(e -> ((ContentProblem) e).reason())
        .isEqualTo("InvalidBase64");
  }

  @Test
  void theSamePathFromTwoSourcesIsAnErrorNotAnOverwrite() {
    var spec = spec(Map.of("logo.svg", "<svg/>"));
    spec.setBinaryFiles(Map.of("logo.svg", base64(new byte[] {1})));
    assertThatThrownBy(() -> SiteContentResolver.resolve(spec, Optional.empty()))
        .hasMessage(
            "file 'logo.svg' is given twice, in spec.files and in spec.binaryFiles; keep one")
        .extracting(e -> ((ContentProblem) e).reason())
        .isEqualTo("DuplicatePath");
  }

  @Test
  void aPathCannotBeBothAFileAndADirectory() {
    var spec = spec(Map.of("docs", "x", "docs/index.html", "y"));
    assertThatThrownBy(() -> SiteContentResolver.resolve(spec, Optional.empty()))
        .hasMessageContaining("'docs' is a file, but 'docs/index.html' needs it to be a directory");
  }

  @Test
  void inlineContentUpToTheConfigMapLimitIsAcceptedAndOneByteMoreIsNot() throws Exception {
    long limit = SiteContentResolver.CONFIGMAP_LIMIT_BYTES;
    // The server's headers file shares the ConfigMap (key _headers).
    int headers =
        SiteServing.defaults(List.of(SiteFile.text("a.txt", ""), SiteFile.text("b.txt", "")))
            .headersFile()
            .length;
    int room = (int) limit - headers;
    var spec = spec(Map.of("a.txt", "a".repeat(room - 10), "b.txt", "b".repeat(10)));
    assertThat(SiteContentResolver.resolve(spec, Optional.empty()).totalBytes()).isEqualTo(room);

    var full = spec(Map.of("a.txt", "a".repeat(room - 10), "b.txt", "b".repeat(11)));
    assertThatThrownBy(() -> SiteContentResolver.resolve(full, Optional.empty()))
        .hasMessageContaining("and the server's headers file " + headers)
        .extracting(e -> ((ContentProblem) e).reason())
        .isEqualTo("ContentTooLarge");

    var over = spec(Map.of("a.txt", "a".repeat((int) limit - 10), "b.txt", "b".repeat(11)));
    assertThatThrownBy(() -> SiteContentResolver.resolve(over, Optional.empty()))
        .hasMessageContaining("1,048,577 bytes")
        .extracting(e -> ((ContentProblem) e).reason())
        .isEqualTo("ContentTooLarge");
  }

  @Test
  void multiByteCharactersCountAsTheirUtf8Bytes() throws Exception {
    var spec = spec(Map.of("i.html", "é€"));
    assertThat(SiteContentResolver.resolve(spec, Optional.empty()).totalBytes()).isEqualTo(5);
  }

  @Test
  void aMissingOrEmptyReferencedConfigMapIsExplained() {
    var spec = spec(null);
    spec.setContentFrom(new ContentFrom(new ContentFrom.ConfigMapRef("docs-files")));
    assertThatThrownBy(() -> SiteContentResolver.resolve(spec, Optional.empty()))
        .hasMessageContaining(
            "ConfigMap 'docs-files' (spec.contentFrom.configMapRef) does not exist")
        .extracting(e -> ((ContentProblem) e).reason())
        .isEqualTo("ContentSourceMissing");

    ConfigMap unlabelled =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("docs-files")
            .endMetadata()
            .addToData("index.html", "x")
            .build();
    assertThatThrownBy(() -> SiteContentResolver.resolve(spec, Optional.of(unlabelled)))
        .hasMessageContaining("lacks the label tinystatic.dev/content=true")
        .hasMessageContaining("kubectl label configmap docs-files tinystatic.dev/content=true")
        .extracting(e -> ((ContentProblem) e).reason())
        .isEqualTo("ContentSourceNotLabelled");

    ConfigMap empty =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("docs-files")
            .addToLabels("tinystatic.dev/content", "true")
            .endMetadata()
            .build();
    assertThatThrownBy(() -> SiteContentResolver.resolve(spec, Optional.of(empty)))
        .hasMessageContaining("has no files")
        .extracting(e -> ((ContentProblem) e).reason())
        .isEqualTo("NoContent");
  }

  @Test
  void aSiteWithNoFilesIsExplained() {
    assertThatThrownBy(() -> SiteContentResolver.resolve(spec(null), Optional.empty()))
        .hasMessageContaining("the site has no files");
  }

  static TinyStaticSiteSpec spec(Map<String, String> files) {
    var spec = new TinyStaticSiteSpec();
    spec.setFiles(files);
    return spec;
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
