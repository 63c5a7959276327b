package dev.tinystatic.mockapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.testing.LocalRegistry;
import dev.tinystatic.testing.MockCluster;
import dev.tinystatic.testing.Sites;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator image's entry point ({@code runtime.RunningOperator}) as its own process, on exactly
 * the classpath the image holds (Maven's runtime scope, written by the build to
 * target/runtime-classpath.txt): no developer tools on it, and it runs, bakes and stops with that.
 */
class OperatorProcessTest {

  static final Path RUNTIME_CLASSPATH = Path.of("target", "runtime-classpath.txt");

  @TempDir Path dir;

  @Test
  void theImageClasspathHoldsNoDeveloperTools() throws IOException {
    assertThat(imageClasspath())
        .extracting(entry -> Path.of(entry).getFileName().toString())
        .noneMatch(
            jar ->
                jar.matches(
                    "(picocli|testcontainers|k3s|docker-java|bcprov|bcpkix|bcutil|junit|"
                        + "kubernetes-server-mock|helm-java).*"))
        .anyMatch(jar -> jar.startsWith("operator-framework-core"))
        .anyMatch(jar -> jar.startsWith("jib-core"));
  }

  @Test
  void itRunsOnTheImageClasspathBakesASiteAndStopsOnSigterm() throws Exception {
    try (var registry = LocalRegistry.start(dir.resolve("registry"));
        var cluster = MockCluster.start()) {
      Process operator =
          start(
              Map.of(
                  "KUBECONFIG", kubeconfig(cluster).toString(),
                  "TINYSTATIC_SERVER_SIDE_APPLY", "false",
                  "TINYSTATIC_HEALTH_PORT", "0",
                  "TINYSTATIC_REGISTRY", registry.address() + "/sites",
                  "TINYSTATIC_REGISTRY_INSECURE", "true"));
      try {
        cluster.client().resource(Sites.site("web", "hello", Map.of("index.html", "hi"))).create();
        Deployment deployment =
            await()
                .atMost(Duration.ofSeconds(60))
                .until(
                    () ->
                        cluster
                            .client()
                            .apps()
                            .deployments()
                            .inNamespace("web")
                            .withName("hello")
                            .get(),
                    d -> d != null);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
            .startsWith(registry.address() + "/sites/web/hello@sha256:");

        operator.destroy();
        assertThat(operator.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        assertThat(output(operator)).contains("finishing reconciliations in flight");
      } finally {
        operator.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void aBadSettingStopsItWithTheVariableNamed() throws Exception {
    Process operator = start(Map.of("TINYSTATIC_HEALTH_PORT", "eighty"));
    assertThat(operator.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(operator.exitValue()).isEqualTo(1);
    assertThat(output(operator))
        .contains("tinystatic operator failed: TINYSTATIC_HEALTH_PORT: expected a port");
  }

  private Process start(Map<String, String> env) throws IOException {
    List<String> classpath = new ArrayList<>();
    classpath.add(Path.of("target", "classes").toString());
    classpath.addAll(imageClasspath());
    var builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                String.join(File.pathSeparator, classpath),
                "dev.tinystatic.runtime.RunningOperator")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("operator.log").toFile());
    builder.environment().put("TINYSTATIC_LOG_FORMAT", "text");
    builder.environment().putAll(env);
    return builder.start();
  }

  private String output(Process operator) throws IOException {
    return Files.readString(dir.resolve("operator.log"), StandardCharsets.UTF_8);
  }

  private static List<String> imageClasspath() throws IOException {
    return List.of(Files.readString(RUNTIME_CLASSPATH).strip().split(File.pathSeparator));
  }

  /** A kubeconfig for the mock API server (plain HTTP, any token). */
  private Path kubeconfig(MockCluster cluster) throws IOException {
    String url = cluster.client().getConfiguration().getMasterUrl();
    return Files.writeString(
        dir.resolve("kubeconfig"),
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters: [{name: mock, cluster: {server: \"" + url + "\"}}]",
            "users: [{name: mock, user: {token: test}}]",
            "contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: web}}]",
            "current-context: mock",
            ""));
  }
}
