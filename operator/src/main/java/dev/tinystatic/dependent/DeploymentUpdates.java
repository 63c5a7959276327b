package dev.tinystatic.dependent;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Deployment updates a site reacts to: a change of its spec or metadata (drift to repair), or
 * of how far it has rolled out (pod counts, the generation observed, a stuck rollout). The
 * Deployment controller's other bookkeeping (condition reasons and times, its revision annotation)
 * wakes no site: a thousand new Deployments would otherwise make three thousand reconciliations
 * that change nothing. The informer cache still holds every update.
 */
public class DeploymentUpdates implements OnUpdateFilter<Deployment> {

  static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

  /** The prefix of the annotations the Deployment controller writes on a Deployment. */
  static final String CONTROLLER_ANNOTATIONS = "deployment.kubernetes.io/";

  @Override
  public boolean accept(Deployment updated, Deployment old) {
    return !Objects.equals(updated.getSpec(), old.getSpec())
        || !Objects.equals(owned(updated.getMetadata()), owned(old.getMetadata()))
        || !Objects.equals(progress(updated.getStatus()), progress(old.getStatus()));
  }

  /** What of the metadata a site sets or relies on. */
  private static List<Object> owned(ObjectMeta metadata) {
    return Arrays.asList(
        metadata.getGeneration(),
        metadata.getDeletionTimestamp(),
        metadata.getLabels(),
        annotations(metadata),
        metadata.getOwnerReferences());
  }

  /**
   * The annotations but the Deployment controller's own ({@code deployment.kubernetes.io/revision},
   * set with its first status update): one reconciliation less per new Deployment.
   */
  private static Map<String, String> annotations(ObjectMeta metadata) {
    Map<String, String> annotations = new TreeMap<>();
    Optional.ofNullable(metadata.getAnnotations()).ifPresent(annotations::putAll);
    annotations.keySet().removeIf(key -> key.startsWith(CONTROLLER_ANNOTATIONS));
    return annotations;
  }

  /** What of the status a site's Ready condition is made of. */
  private static List<Object> progress(DeploymentStatus status) {
    if (status == null) {
      return List.of();
    }
    return Arrays.asList(
        status.getObservedGeneration(),
        status.getReplicas(),
        status.getUpdatedReplicas(),
        status.getReadyReplicas(),
        status.getAvailableReplicas(),
        Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
            .filter(c -> PROGRESS_DEADLINE_EXCEEDED.equals(c.getReason()))
            .map(c -> c.getMessage())
            .toList());
  }
}
