package dev.tinystatic.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolloutTest {

  static final String HASH = "sha256:" + "a".repeat(64);

  @Test
  void noDeploymentYetIsCreating() {
    assertThat(Rollout.of(Optional.empty(), HASH, 1).reason()).isEqualTo("Creating");
  }

  @Test
  void completeOnlyWhenEveryPodRunsThisContentAndNoOldPodIsLeft() {
    assertThat(Rollout.of(deployment(HASH, 2, 2, 2, 2, 2, 2), HASH, 2).complete()).isTrue();
    assertThat(Rollout.of(deployment(HASH, 2, 2, 3, 2, 3, 3), HASH, 2).complete())
        .as("an old pod left")
        .isFalse();
    assertThat(Rollout.of(deployment(HASH, 2, 2, 2, 1, 2, 2), HASH, 2).complete())
        .as("one not updated")
        .isFalse();
    assertThat(Rollout.of(deployment(HASH, 2, 2, 2, 2, 1, 1), HASH, 2).complete())
        .as("one not available")
        .isFalse();
    assertThat(Rollout.of(deployment(HASH, 3, 2, 2, 2, 2, 2), HASH, 2).complete())
        .as("spec not observed")
        .isFalse();
    assertThat(Rollout.of(deployment("sha256:old", 2, 2, 2, 2, 2, 2), HASH, 2).complete())
        .as("other content")
        .isFalse();
  }

  @Test
  void progressIsDescribed() {
    var rollout = Rollout.of(deployment(HASH, 2, 2, 3, 1, 2, 2), HASH, 2);
    assertThat(rollout.reason()).isEqualTo("RollingOut");
    assertThat(rollout.message())
        .isEqualTo("1/2 pods run content sha256:aaaaaaaaaaaa, 2 available, 2 old pods left");
    assertThat(rollout.readyReplicas()).isEqualTo(2);
  }

  @Test
  void aStuckRolloutSaysWhy() {
    var stuck = deployment(HASH, 1, 1, 1, 0, 0, 0);
    stuck
        .get()
        .getStatus()
        .getConditions()
        .add(
            new DeploymentConditionBuilder()
                .withType("Progressing")
                .withStatus("False")
                .withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"s-1\" has timed out progressing.")
                .build());
    var rollout = Rollout.of(stuck, HASH, 1);
    assertThat(rollout.complete()).isFalse();
    assertThat(rollout.reason()).isEqualTo("RolloutStuck");
    assertThat(rollout.message()).contains("has timed out progressing");
  }

  @Test
  void zeroReplicasIsCompleteAndSaysSo() {
    var rollout = Rollout.of(deployment(HASH, 1, 1, 0, 0, 0, 0), HASH, 0);
    assertThat(rollout.complete()).isTrue();
    assertThat(rollout.reason()).isEqualTo("ScaledToZero");
  }

  @Test
  void aParkedSiteIsScaledToZeroBeforeTheDeploymentControllerLooksAtIt() {
    var created = deployment(HASH, 1, 0, 0, 0, 0, 0);
    created.get().setStatus(null);
    assertThat(Rollout.of(created, HASH, 0).reason())
        .as("just created, no status yet")
        .isEqualTo("ScaledToZero");
    assertThat(Rollout.of(deployment(HASH, 3, 2, 2, 2, 2, 2), HASH, 0).reason())
        .as("scaling 2 -> 0, pods still there")
        .isEqualTo("RollingOut");
    assertThat(Rollout.of(deployment("sha256:old", 1, 1, 0, 0, 0, 0), HASH, 0).reason())
        .as("other content")
        .isEqualTo("RollingOut");
  }

  private static Optional<Deployment> deployment(
      String hash,
      long generation,
      long observed,
      int total,
      int updated,
      int available,
      int ready) {
    return Optional.of(
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("s")
            .withGeneration(generation)
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withNewMetadata()
            .addToAnnotations("tinystatic.dev/content-hash", hash)
            .endMetadata()
            .endTemplate()
            .endSpec()
            .withNewStatus()
            .withObservedGeneration(observed)
            .withReplicas(total)
            .withUpdatedReplicas(updated)
            .withAvailableReplicas(available)
            .withReadyReplicas(ready)
            .endStatus()
            .build());
  }
}
