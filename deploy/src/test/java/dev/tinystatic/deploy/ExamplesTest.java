package dev.tinystatic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.content.ContentProblem;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteContentResolver;
import dev.tinystatic.content.SiteFile;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in deploy/examples parses, uses only fields the API knows and passes the operator's
 * own content validation, so the examples the README points to never rot.
 */
class ExamplesTest {

  static final Path DIR = Chart.DEPLOY.resolve("examples");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everySiteIsValidContentForTheOperator(Path example) throws Exception {
    List<HasMetadata> objects = Chart.parse(Files.readString(example));
    List<TinyStaticSite> sites = sites(example);

    assertThat(sites).as("sites in %s", example).isNotEmpty();
    for (TinyStaticSite site : sites) {
      assertThat(site.getMetadata().getNamespace())
          .as("examples go to the namespace the user picks with kubectl -n")
          .isNull();
      SiteContent content = resolve(site, objects);
      assertThat(content.count()).isPositive();
      assertThat(site.getSpec().portOrDefault()).isBetween(1024, 65535);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void sitesUseOnlyFieldsTheApiKnows(Path example) throws Exception {
    // Read back through the model: a misspelt field (e.g. "file:") would be dropped on the way.
    for (Map<String, Object> raw : rawSites(example)) {
      TinyStaticSite site = SERIALIZATION.convertValue(raw, TinyStaticSite.class);
      Map<?, ?> roundTrip = SERIALIZATION.convertValue(site, Map.class);
      assertThat(lost(raw.get("spec"), roundTrip.get("spec"), "spec"))
          .as("fields of %s the TinyStaticSite model does not know", example)
          .isEmpty();
      assertThat(raw.get("apiVersion")).isEqualTo("tinystatic.dev/v1alpha1");
    }
  }

  @Test
  void helloIsOneFileOnPort8080() throws Exception {
    TinyStaticSite hello = sites(DIR.resolve("hello.yaml")).get(0);

    assertThat(hello.getMetadata().getName()).isEqualTo("hello");
    assertThat(hello.getSpec().getPort()).isEqualTo(8080);
    assertThat(resolve(hello, List.of()).files())
        .extracting(SiteFile::path)
        .containsExactly("index.html");
  }

  @Test
  void multiFileSiteHasNestedPathsAndARealImage() throws Exception {
    TinyStaticSite site = sites(DIR.resolve("multi-file.yaml")).get(0);
    SiteContent content = resolve(site, List.of());

    assertThat(content.files())
        .extracting(SiteFile::path)
        .contains("index.html", "css/site.css", "js/app.js", "docs/index.html", "favicon.png");
    byte[] png =
        content.files().stream()
            .filter(f -> f.path().equals("favicon.png"))
            .findFirst()
            .orElseThrow()
            .bytes();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image).as("favicon.png decodes as an image").isNotNull();
    assertThat(image.getWidth()).isEqualTo(16);
  }

  @Test
  void docsSiteTakesItsFilesFromTheConfigMapBesideIt() throws Exception {
    Path example = DIR.resolve("docs-configmap.yaml");
    List<HasMetadata> objects = Chart.parse(Files.readString(example));
    TinyStaticSite docs = sites(example).get(0);

    assertThat(docs.getSpec().getContentFrom().getConfigMapRef().getName()).isEqualTo("docs-files");
    assertThat(docs.getSpec().getFiles()).isNull();
    assertThat(resolve(docs, objects).referencedFiles())
        .extracting(SiteFile::path)
        .containsExactlyInAnyOrder("index.html", "guide.html", "style.css");
  }

  /**
   * Paths of what {@code written} holds but {@code read} lost or changed (read may add defaults).
   */
  static List<String> lost(Object written, Object read, String path) {
    if (written instanceof Map<?, ?> w && read instanceof Map<?, ?> r) {
      return w.keySet().stream()
          .flatMap(k -> lost(w.get(k), r.get(k), path + "." + k).stream())
          .toList();
    }
    return java.util.Objects.equals(written, read) ? List.of() : List.of(path);
  }

  /** The operator's validation, given the ConfigMap the site references when the file has it. */
  static SiteContent resolve(TinyStaticSite site, List<HasMetadata> objects) throws ContentProblem {
    Optional<ConfigMap> referenced =
        Optional.ofNullable(site.getSpec().getContentFrom())
            .map(c -> c.getConfigMapRef().getName())
            .flatMap(
                name ->
                    objects.stream()
                        .filter(ConfigMap.class::isInstance)
                        .map(ConfigMap.class::cast)
                        .filter(c -> c.getMetadata().getName().equals(name))
                        .findFirst());
    return SiteContentResolver.resolve(site.getSpec(), referenced);
  }

  static List<TinyStaticSite> sites(Path example) throws IOException {
    return rawSites(example).stream()
        .map(raw -> SERIALIZATION.convertValue(raw, TinyStaticSite.class))
        .toList();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> rawSites(Path example) throws IOException {
    return Chart.parse(Files.readString(example)).stream()
        .filter(o -> "TinyStaticSite".equals(o.getKind()))
        .map(o -> (Map<String, Object>) SERIALIZATION.convertValue(o, Map.class))
        .toList();
  }
}
