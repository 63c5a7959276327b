package dev.tinystatic.testing;

import dev.tinystatic.api.SiteObjects;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches an Atomic site from outside, as a client of the API server, while a rollout runs: every
 * {@code 100 ms}, which revision the Service selects, then how available each revision's Deployment
 * is. The Service is read first: a sample that shows it on a revision whose Deployment was not
 * fully available afterwards means it moved too early.
 */
public final class CutoverWatch implements AutoCloseable {

  /** How far one revision's Deployment has rolled out. */
  public record Availability(int wanted, int available, boolean observed) {

    /** Every wanted pod available, as the Deployment controller last reported. */
    public boolean full() {
      return observed && available >= wanted;
    }
  }

  /**
   * @param selected the revision the Service selects (null: none)
   * @param deployments the revision Deployments that exist, by revision
   */
  public record Sample(Instant at, String selected, Map<String, Availability> deployments) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String site;
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  private CutoverWatch(KubernetesClient client, String namespace, String site) {
    this.client = client;
    this.namespace = namespace;
    this.site = site;
  }

  public static CutoverWatch start(KubernetesClient client, String namespace, String site) {
    var watch = new CutoverWatch(client, namespace, site);
    watch.timer.scheduleWithFixedDelay(watch::sample, 0, 100, TimeUnit.MILLISECONDS);
    return watch;
  }

  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  private void sample() {
    try {
      Instant at = Instant.now();
      String selected =
          Optional.ofNullable(client.services().inNamespace(namespace).withName(site).get())
              .map(s -> s.getSpec().getSelector().get(SiteObjects.REVISION_LABEL))
              .orElse(null);
      Map<String, Availability> deployments = new TreeMap<>();
      for (Deployment d :
          client
              .apps()
              .deployments()
              .inNamespace(namespace)
              .withLabel(SiteObjects.INSTANCE_LABEL, site)
              .withLabel(SiteObjects.REVISION_LABEL)
              .list()
              .getItems()) {
        var status = d.getStatus();
        int available =
            status == null || status.getAvailableReplicas() == null
                ? 0
                : status.getAvailableReplicas();
        boolean observed =
            status != null
                && status.getObservedGeneration() != null
                && status.getObservedGeneration()
                    >= Optional.ofNullable(d.getMetadata().getGeneration()).orElse(0L);
        deployments.put(
            d.getMetadata().getLabels().get(SiteObjects.REVISION_LABEL),
            new Availability(d.getSpec().getReplicas(), available, observed));
      }
      samples.add(new Sample(at, selected, deployments));
    } catch (RuntimeException e) {
      // A failed read is a missing sample, not a finding.
    }
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(10, TimeUnit.SECONDS);
  }
}
