package dev.tinystatic.reconciler;

import dev.tinystatic.api.SiteObjects;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * How far the site's Deployment has rolled out a given content, read from its status the way {@code
 * kubectl rollout status} does.
 *
 * @param complete every wanted pod runs this content and is available, and no old pod is left
 * @param readyReplicas pods ready (of any content)
 * @param reason a CamelCase word for the Ready condition
 * @param message what is happening, for people
 */
record Rollout(boolean complete, int readyReplicas, String reason, String message) {

  static Rollout of(Optional<Deployment> found, String contentHash, int wanted) {
    if (found.isEmpty()) {
      return new Rollout(false, 0, SiteConditions.CREATING, "the Deployment is being created");
    }
    Deployment deployment = found.get();
    DeploymentStatus status =
        Optional.ofNullable(deployment.getStatus()).orElseGet(DeploymentStatus::new);
    int ready = orZero(status.getReadyReplicas());
    int updated = orZero(status.getUpdatedReplicas());
    int available = orZero(status.getAvailableReplicas());
    int total = orZero(status.getReplicas());
    String templateHash =
        deployment
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get(SiteObjects.CONTENT_HASH_ANNOTATION);
    boolean observed =
        status.getObservedGeneration() != null
            && status.getObservedGeneration()
                >= Optional.ofNullable(deployment.getMetadata().getGeneration()).orElse(0L);
    Optional<DeploymentCondition> progressDeadline =
        Optional.ofNullable(status.getConditions()).stream()
            .flatMap(java.util.List::stream)
            .filter(c -> "Progressing".equals(c.getType()))
            .filter(c -> "ProgressDeadlineExceeded".equals(c.getReason()))
            .findFirst();
    if (!Objects.equals(templateHash, contentHash)) {
      return new Rollout(
          false, ready, SiteConditions.ROLLING_OUT, "the Deployment is being updated");
    }
    if (wanted == 0 && total == 0) {
      // Nothing to wait for: no pod is wanted and none runs (a new site, or one parked already),
      // whether or not the Deployment controller has looked at it yet.
      return new Rollout(
          true, 0, SiteConditions.SCALED_TO_ZERO, "spec.replicas is 0: no pod serves the site");
    }
    if (!observed) {
      return new Rollout(
          false, ready, SiteConditions.ROLLING_OUT, "the Deployment is being updated");
    }
    if (progressDeadline.isPresent()) {
      return new Rollout(
          false,
          ready,
          SiteConditions.ROLLOUT_STUCK,
          "the rollout makes no progress: "
              + progressDeadline.get().getMessage()
              + " (see kubectl describe pods)");
    }
    if (updated >= wanted && available >= wanted && total <= wanted) {
      String message =
          wanted == 0
              ? "spec.replicas is 0: no pod serves the site"
              : wanted + "/" + wanted + " pods serve content " + shortHash(contentHash);
      return new Rollout(
          true,
          ready,
          wanted == 0 ? SiteConditions.SCALED_TO_ZERO : SiteConditions.AVAILABLE,
          message);
    }
    return new Rollout(
        false,
        ready,
        SiteConditions.ROLLING_OUT,
        String.format(
            "%d/%d pods run content %s, %d available, %d old pods left",
            updated, wanted, shortHash(contentHash), available, Math.max(0, total - updated)));
  }

  static String shortHash(String hash) {
    return hash.length() > 19 ? hash.substring(0, 19) : hash;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
