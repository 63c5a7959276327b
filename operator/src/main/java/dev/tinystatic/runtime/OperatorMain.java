package dev.tinystatic.runtime;

import dev.tinystatic.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process, configured by its environment (see README) and run until SIGTERM: the
 * operator image's entry point, and what {@code tinystatic operator} runs.
 */
public final class OperatorMain {

  private static final Logger log = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) {
    try {
      run();
    } catch (Exception e) {
      System.err.println(
          "tinystatic operator failed: " + (e.getMessage() == null ? e : e.getMessage()));
      System.exit(1);
    }
  }

  /** Runs the operator against the current kubeconfig or in-cluster configuration until stopped. */
  public static void run() throws IOException, InterruptedException {
    OperatorConfig config = OperatorConfig.fromEnvironment();
    log.info("starting TinyStatic operator: {}", config);
    var client = new KubernetesClientBuilder().build();
    var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var operator = TinyStaticOperator.create(client, config, metrics);
    ManagementServer management =
        config.healthPort() > 0
            ? ManagementServer.start(config.healthPort(), operator, metrics)
            : null;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping: finishing reconciliations in flight");
                  operator.stop();
                  if (management != null) {
                    management.close();
                  }
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    warnOnOldKubernetes(client);
    operator.start();
    log.info("operator started; /healthz, /readyz and /metrics on port {}", config.healthPort());
    stopped.await();
  }

  /** Site pods use the preStop sleep action, which Kubernetes serves from 1.30 on. */
  private static void warnOnOldKubernetes(KubernetesClient client) {
    try {
      var version = client.getKubernetesVersion();
      int major = Integer.parseInt(version.getMajor().replaceAll("\\D", ""));
      int minor = Integer.parseInt(version.getMinor().replaceAll("\\D", ""));
      if (major == 1 && minor < 30) {
        log.warn(
            "Kubernetes {}.{} is older than 1.30: it refuses the preStop sleep action of site"
                + " pods, so sites will report ApplyFailed; upgrade the cluster",
            major,
            minor);
      }
    } catch (RuntimeException e) {
      log.debug("could not read the Kubernetes version: {}", e.getMessage());
    }
  }
}
