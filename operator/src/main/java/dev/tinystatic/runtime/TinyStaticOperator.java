package dev.tinystatic.runtime;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.config.ConfigException;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.dependent.AppliedFieldsStore;
import dev.tinystatic.reconciler.SiteImageCleaner;
import dev.tinystatic.reconciler.TinyStaticSiteReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;

/** Wires the JOSDK operator from the configuration: one controller, the TinyStaticSite one. */
public final class TinyStaticOperator {

  /** Failed reconciliations retry after 1 s, 2 s, 4 s ... up to every 5 minutes, for ever. */
  static final GenericRetry RETRY =
      new GenericRetry()
          .setInitialInterval(1_000)
          .setIntervalMultiplier(2)
          .setMaxInterval(Duration.ofMinutes(5).toMillis())
          .withoutMaxAttempts();

  private TinyStaticOperator() {}

  public static Operator create(KubernetesClient client, OperatorConfig config) {
    return create(client, config, new SimpleMeterRegistry());
  }

  /** The operator, recording JOSDK's reconciliation metrics into {@code metrics}. */
  public static Operator create(
      KubernetesClient client, OperatorConfig config, MeterRegistry metrics) {
    return create(client, config, metrics, leaderLease(client, config));
  }

  /**
   * The Lease this operator elects its leader on, when leader election is on: in the configured
   * namespace, else the client's (the pod's own, in a cluster).
   */
  public static Optional<LeaderLease> leaderLease(KubernetesClient client, OperatorConfig config) {
    if (!config.leaderElection()) {
      return Optional.empty();
    }
    String namespace =
        Optional.ofNullable(config.namespace())
            .or(() -> Optional.ofNullable(client.getConfiguration().getNamespace()))
            .orElseThrow(
                () ->
                    new ConfigException(
                        "leader election needs the operator's namespace for its Lease: set "
                            + OperatorConfig.NAMESPACE));
    return Optional.of(LeaderLease.of(OperatorConfig.LEASE_NAME, namespace));
  }

  /**
   * The operator, recording JOSDK's reconciliation metrics into {@code metrics}, electing its
   * leader on {@code lease} when one is given.
   */
  public static Operator create(
      KubernetesClient client,
      OperatorConfig config,
      MeterRegistry metrics,
      Optional<LeaderLease> lease) {
    Operator operator =
        new Operator(
            overrider -> {
              overrider
                  .withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics))
                  .withUseSSAToPatchPrimaryResource(config.serverSideApply())
                  .withSSABasedCreateUpdateMatchForDependentResources(config.serverSideApply())
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(20))
                  .withConcurrentReconciliationThreads(config.reconcileThreads())
                  .withConcurrentWorkflowExecutorThreads(config.reconcileThreads());
              lease.ifPresent(l -> overrider.withLeaderElectionConfiguration(l.configuration()));
            });
    operator.register(
        new TinyStaticSiteReconciler(config, client), controller -> sitesOf(controller, config));
    if (config.registry().isPresent()) {
      // Only where sites can have images: the controller that deletes them with their site.
      operator.register(
          new SiteImageCleaner(config, client),
          controller ->
              sitesOf(controller, config)
                  .withGenericFilter(site -> SiteImageCleaner.concerns(site, config)));
    }
    return operator;
  }

  /** Both controllers: the watched namespaces' sites, and the same retry. */
  private static ControllerConfigurationOverrider<TinyStaticSite> sitesOf(
      ControllerConfigurationOverrider<TinyStaticSite> controller, OperatorConfig config) {
    if (!config.watchesAllNamespaces()) {
      controller.settingNamespaces(config.watchNamespaces());
    }
    return controller.withRetry(RETRY).withItemStore(new AppliedFieldsStore<>());
  }
}
