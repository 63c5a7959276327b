package dev.tinystatic.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.testing.LocalRegistry;
import dev.tinystatic.testing.MockCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tinystatic render} prints exactly what the running operator creates for the same site:
 * each object rendered is compared, field by field, with the one the operator wrote to the mock API
 * server.
 */
class RenderCommandTest {

  static final Path EXAMPLES = Path.of("..", "deploy", "examples");
  static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void rendersWhatTheOperatorCreatesForConfigMapDelivery() throws Exception {
    var rendered = render("multi-file.yaml", "--server-image", MockCluster.SERVER_IMAGE);
    try (var cluster = MockCluster.start().startOperator()) {
      compareWithOperator(cluster, "multi-file.yaml", rendered);
    }
  }

  @Test
  void rendersTheHeadersFileThePagesAndTheIngressAsTheOperatorDoes() throws Exception {
    var rendered = render("docs-site.yaml", "--server-image", MockCluster.SERVER_IMAGE);
    try (var cluster = MockCluster.start().startOperator()) {
      compareWithOperator(cluster, "docs-site.yaml", rendered);
    }
    ConfigMap content = (ConfigMap) rendered.get(0);
    assertThat(content.getData().get("_headers"))
        .startsWith("Content-Security-Policy: default-src 'self'\r\n")
        .contains("Referrer-Policy: strict-origin-when-cross-origin\r\n")
        .contains("/docs.css\r\nCache-Control: public, max-age=3600\r\n")
        .endsWith("/\r\nCache-Control: no-cache\r\n");
    Deployment deployment = (Deployment) rendered.get(1);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly(
            "-p", "8080", "-d", "/site", "-m", "/tinystatic/headers", "-n", "404.html");
    Ingress ingress = (Ingress) rendered.get(3);
    assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("docs.example.com");
    assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("docs-site-tls");
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
  }

  @Test
  void rendersWhatTheOperatorCreatesForImageDeliveryDigestIncluded(@TempDir Path dir)
      throws Exception {
    try (var registry = LocalRegistry.start(dir.resolve("registry"))) {
      var rendered =
          render("hello.yaml", "--registry", registry.address() + "/sites", "--insecure");
      try (var cluster =
          MockCluster.start().startOperator(MockCluster.imageDeliveryConfig(registry.address()))) {
        compareWithOperator(cluster, "hello.yaml", rendered);
      }
      Deployment deployment =
          (Deployment)
              rendered.stream().filter(Deployment.class::isInstance).findFirst().orElseThrow();
      assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .startsWith(registry.address() + "/sites/default/hello@sha256:");
    }
  }

  private static void compareWithOperator(
      MockCluster cluster, String example, List<HasMetadata> rendered) throws Exception {
    var client = cluster.client();
    for (HasMetadata object :
        client
            .load(EXAMPLES.resolve(example).toFile().toURI().toURL().openStream())
            .inNamespace("default")
            .resources()
            .map(r -> r.item())
            .toList()) {
      client.resource(object).inNamespace("default").create();
    }
    // Each rendered object is what the operator creates, by kind and name.
    assertThat(rendered).hasSizeGreaterThanOrEqualTo(2);
    for (HasMetadata object : rendered) {
      HasMetadata live =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      client
                          .resources(object.getClass())
                          .inNamespace("default")
                          .withName(object.getMetadata().getName())
                          .get(),
                  o -> o != null);
      assertThat(object.getMetadata().getLabels())
          .as(object.getKind() + " " + object.getMetadata().getName())
          .isEqualTo(live.getMetadata().getLabels());
      if (object instanceof ConfigMap configMap) {
        assertThat(configMap.getData()).isEqualTo(((ConfigMap) live).getData());
        assertThat(configMap.getBinaryData()).isEqualTo(((ConfigMap) live).getBinaryData());
      } else if (object instanceof Deployment deployment) {
        assertThat(deployment.getSpec()).isEqualTo(((Deployment) live).getSpec());
      } else if (object instanceof Service service) {
        assertThat(service.getSpec()).isEqualTo(((Service) live).getSpec());
      } else if (object instanceof Ingress ingress) {
        assertThat(ingress.getSpec()).isEqualTo(((Ingress) live).getSpec());
        assertThat(live.getMetadata().getAnnotations())
            .containsAllEntriesOf(ingress.getMetadata().getAnnotations());
      }
    }
  }

  private static List<HasMetadata> render(String example, String... options) {
    String[] args = new String[options.length + 2];
    args[0] = "render";
    args[1] = EXAMPLES.resolve(example).toString();
    System.arraycopy(options, 0, args, 2, options.length);
    String[] exit = new String[1];
    String out = MainTest.capture(() -> exit[0] = Integer.toString(Main.run(args)));
    assertThat(exit[0]).as(out).isEqualTo("0");
    List<HasMetadata> objects = YAML.unmarshal(new ByteArrayInputStream(out.getBytes()));
    return objects;
  }
}
