package dev.tinystatic.runtime;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as a process: the client from the kubeconfig or the pod's service account, the
 * management port with JVM, process and reconciliation metrics, leader election that checks its
 * permissions first and hands the Lease over on SIGTERM, and a graceful stop.
 */
public final class RunningOperator {

  private static final Logger log = LoggerFactory.getLogger(RunningOperator.class);

  private RunningOperator() {}

  /**
   * The operator alone, configured by the environment (what the operator image runs; the {@code
   * tinystatic operator} command runs the same).
   */
  public static void main(String[] args) {
    AsyncThreads.runOnThePool();
    try {
      run(OperatorConfig.fromEnvironment());
      System.exit(0);
    } catch (Exception e) {
      System.err.println("tinystatic operator failed: " + describe(e));
      System.exit(1);
    }
  }

  /** Runs until SIGTERM or SIGINT; returns once stopped. */
  public static void run(OperatorConfig config) throws Exception {
    log.info("starting TinyStatic operator: {}", config);
    KubernetesClient client = new KubernetesClientBuilder().build();
    var metrics = metrics();
    Optional<LeaderLease> lease = TinyStaticOperator.leaderLease(client, config);
    lease.ifPresent(
        l -> {
          l.checkAccess(client);
          Gauge.builder("tinystatic_leader", () -> l.isLeading() ? 1 : 0)
              .description("1 while this replica leads (leader election), else 0")
              .register(metrics);
        });
    var operator = TinyStaticOperator.create(client, config, metrics, lease);
    Optional<Supplier<LeaderLease.Health>> election =
        lease.map(l -> (Supplier<LeaderLease.Health>) () -> l.health(client));
    ManagementServer management =
        config.healthPort() > 0
            ? ManagementServer.start(config.healthPort(), operator, metrics, election)
            : null;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping: finishing reconciliations in flight");
                  lease.ifPresent(LeaderLease::stopping);
                  operator.stop();
                  lease.ifPresent(l -> l.release(client));
                  if (management != null) {
                    management.close();
                  }
                  client.close();
                  log.info("stopped");
                  stopped.countDown();
                },
                "shutdown"));
    warnOnOldKubernetes(client);
    requireSiteApi(client);
    operator.start();
    log.info(
        "operator started{}; /healthz, /readyz and /metrics on port {}",
        lease
            .map(l -> ", electing a leader as " + l.identity() + " in " + l.namespace())
            .orElse(""),
        config.healthPort());
    stopped.await();
  }

  /** Prometheus metrics: JOSDK's reconciliations (added by the operator), the JVM, the process. */
  public static PrometheusMeterRegistry metrics() {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    bindJvmAndProcess(registry);
    return registry;
  }

  static void bindJvmAndProcess(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry); // lives as long as the process
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /**
   * Without the CRD, JOSDK's informer fails with "Error starting operator" and a stack trace; say
   * what is missing and how to install it instead. API discovery is open to every account.
   */
  static void requireSiteApi(KubernetesClient client) {
    if (!client.supports(TinyStaticSite.class)) {
      throw new IllegalStateException(
          "this cluster has no TinyStaticSite API ("
              + HasMetadata.getFullResourceName(TinyStaticSite.class)
              + ", version "
              + HasMetadata.getVersion(TinyStaticSite.class)
              + "): install the CRD first (kubectl apply -f"
              + " crds/tinystaticsites.tinystatic.dev-v1.yml; helm install does it)");
    }
  }

  /**
   * A failure in one line: the messages of its causes, outermost first, each said once (JOSDK wraps
   * the reason in "Error starting operator").
   */
  public static String describe(Throwable failure) {
    var messages = new java.util.LinkedHashSet<String>();
    for (Throwable t = failure; t != null && messages.size() < 5; t = t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (messages.stream().noneMatch(m -> m.contains(message))) {
        messages.add(message);
      }
    }
    return String.join(": ", messages);
  }

  /** Site pods use the preStop sleep action, which Kubernetes serves from 1.30 on. */
  static void warnOnOldKubernetes(KubernetesClient client) {
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
