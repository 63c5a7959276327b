package dev.tinystatic.cli;

import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.runtime.ManagementServer;
import dev.tinystatic.runtime.TinyStaticOperator;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** Runs the operator against the current kubeconfig or the in-cluster configuration. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = {
      "Run the TinyStatic operator against the current kubeconfig (or in-cluster config).",
      "Configured by environment variables: TINYSTATIC_WATCH_NAMESPACES, TINYSTATIC_SERVER_IMAGE,"
          + " TINYSTATIC_REGISTRY, TINYSTATIC_REGISTRY_PULL_PREFIX, TINYSTATIC_REGISTRY_INSECURE,"
          + " TINYSTATIC_REGISTRY_SECRET, TINYSTATIC_IMAGE_PULL_SECRETS,"
          + " TINYSTATIC_LEADER_ELECTION, TINYSTATIC_NAMESPACE, TINYSTATIC_HEALTH_PORT (health and"
          + " metrics), TINYSTATIC_SERVER_SIDE_APPLY, TINYSTATIC_LOG_LEVEL, TINYSTATIC_LOG_FORMAT"
          + " (see README)."
    })
public final class OperatorCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(OperatorCommand.class);

  /** Site pods use the preStop sleep action, which Kubernetes serves from 1.30 on. */
  static void warnOnOldKubernetes(io.fabric8.kubernetes.client.KubernetesClient client) {
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

  @Override
  public Integer call() throws Exception {
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
    return 0;
  }
}
