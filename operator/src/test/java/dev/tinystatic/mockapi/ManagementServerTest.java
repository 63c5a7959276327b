package dev.tinystatic.mockapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.runtime.LeaderLease;
import dev.tinystatic.runtime.ManagementServer;
import dev.tinystatic.runtime.RunningOperator;
import dev.tinystatic.runtime.TinyStaticOperator;
import dev.tinystatic.testing.MockCluster;
import dev.tinystatic.testing.Sites;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator pod's probes and metrics, on a running operator. */
class ManagementServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void healthReadinessAndMetricsFollowTheOperator() throws Exception {
    try (var cluster = MockCluster.start()) {
      var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      var operator = TinyStaticOperator.create(cluster.client(), MockCluster.testConfig(), metrics);
      try (var management = ManagementServer.start(0, operator, metrics)) {
        assertThat(get(management, "/healthz").statusCode()).as("not started yet").isEqualTo(503);

        operator.start();
        assertThat(get(management, "/healthz").statusCode()).isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> get(management, "/readyz").statusCode() == 200);

        cluster.client().resource(Sites.site("m", "hello", Map.of("index.html", "hi"))).create();
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(get(management, "/metrics").body())
                        .contains("operator_sdk_reconciliations"));
        assertThat(get(management, "/metrics").headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));

        operator.stop();
        assertThat(get(management, "/healthz").statusCode()).isEqualTo(503);
      }
    }
  }

  @Test
  void readinessSaysWhyWhenTheLeaderElectionIsBroken() throws Exception {
    try (var cluster = MockCluster.start()) {
      var metrics = RunningOperator.metrics();
      var operator = TinyStaticOperator.create(cluster.client(), MockCluster.testConfig(), metrics);
      var election =
          new java.util.concurrent.atomic.AtomicReference<>(
              new LeaderLease.Health(true, "standing by for pod-b"));
      try (var management =
          ManagementServer.start(
              0,
              operator,
              metrics,
              java.util.Optional.<java.util.function.Supplier<LeaderLease.Health>>of(
                  election::get))) {
        operator.start();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> get(management, "/readyz").statusCode() == 200);
        assertThat(get(management, "/readyz").body()).isEqualTo("ok: standing by for pod-b\n");

        election.set(new LeaderLease.Health(false, "the Lease x held by pod-b expired 45 s ago"));
        var answer = get(management, "/readyz");
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body())
            .isEqualTo("not ready: the Lease x held by pod-b expired 45 s ago\n");
        assertThat(get(management, "/healthz").statusCode())
            .as("alive all the same")
            .isEqualTo(200);
        assertThat(get(management, "/metrics").body())
            .as("JVM and process metrics beside JOSDK's")
            .contains("jvm_memory_used_bytes")
            .contains("jvm_gc_")
            .contains("jvm_threads_live_threads")
            .contains("process_cpu_usage");
        operator.stop();
      }
    }
  }

  private HttpResponse<String> get(ManagementServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
