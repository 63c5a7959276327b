package dev.tinystatic.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chart as a whole: lint, metadata, the CRD copy and the values schema. */
class ChartTest {

  static final String VERSION = OperatorDeploymentTest.VERSION;

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = Chart.helm().lint().strict().call();

    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void chartVersionsFollowTheProject() throws Exception {
    String chart = Files.readString(Chart.DIR.resolve("Chart.yaml"));

    assertThat(chart).contains("\nversion: 0.1.0\n").contains("\nappVersion: " + VERSION + "\n");
  }

  @Test
  void installsTheRepositorysCrdByteForByte() throws Exception {
    assertThat(Files.readString(Chart.CHART_CRD))
        .as(
            "deploy/helm/tinystatic/crds/ is stale: refresh it with"
                + " cp crds/tinystaticsites.tinystatic.dev-v1.yml deploy/helm/tinystatic/crds/"
                + " (from the repository root)")
        .isEqualTo(Files.readString(Chart.REPOSITORY_CRD));
    assertThat(Chart.DIR.resolve("crds").toFile().list())
        .containsExactly(Chart.CHART_CRD.getFileName().toString());
    var crd = (CustomResourceDefinition) Chart.parse(Files.readString(Chart.CHART_CRD)).get(0);
    assertThat(crd.getMetadata().getName()).isEqualTo("tinystaticsites.tinystatic.dev");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "replicaCount: two                     | replicaCount: Invalid type. Expected: integer,"
            + " given: string",
        "watchNamespaces: a,b                  | watchNamespaces: Invalid type. Expected: array,"
            + " given: string",
        "watchNamespaces: [Not_A_Namespace]    | watchNamespaces.0: Does not match pattern",
        "leaderElection: {enabled: yes please} | leaderElection.enabled: Invalid type. Expected:"
            + " boolean",
        "registry: {insecure: \"true\"}        | registry.insecure: Invalid type. Expected:"
            + " boolean, given: string",
        "registry: {url: \"https://r.example/sites\"} | registry.url: Does not match pattern",
        "registry: {url: registry.example}     | registry.url: Does not match pattern",
        "logFormat: xml                        | logFormat: logFormat must be one of the following",
        "resources: {limits: 512Mi}            | resources.limits: Invalid type. Expected: object,"
            + " given: string",
        "image: {tag: 1.2.3, name: operator}  | Additional property name is not allowed",
        "image: {digest: latest}              | image.digest: Does not match pattern",
        "replicas: 2                           | Additional property replicas is not allowed",
      })
  void wrongValuesAreRejectedByTheSchema(String values, String error, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("bad-values.yaml");
    Files.writeString(file, values.strip() + "\n");

    assertThatThrownBy(() -> Chart.withDefaults().valuesFile(file).render())
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(error.strip());
  }

  @Test
  void theSchemaAcceptsEveryDocumentedValue() throws Exception {
    // values.yaml itself, every key spelled out: a schema stricter than the defaults would fail
    // here.
    Rendered chart = Chart.withDefaults().valuesFile(Chart.DIR.resolve("values.yaml")).render();

    assertThat(chart.describe()).hasSize(Chart.withDefaults().render().objects().size());
  }
}
