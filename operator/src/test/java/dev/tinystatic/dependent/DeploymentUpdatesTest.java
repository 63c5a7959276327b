package dev.tinystatic.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DeploymentUpdatesTest {

  final DeploymentUpdates filter = new DeploymentUpdates();

  @Test
  void theControllersConditionBookkeepingWakesNoSite() {
    assertThat(
            changed(
                d ->
                    d.getStatus()
                        .getConditions()
                        .add(
                            new DeploymentConditionBuilder()
                                .withType("Available")
                                .withStatus("True")
                                .withReason("MinimumReplicasAvailable")
                                .build())))
        .isFalse();
    assertThat(changed(d -> d.getMetadata().setResourceVersion("99"))).isFalse();
    assertThat(
            changed(
                d ->
                    d.getMetadata()
                        .setAnnotations(
                            new java.util.HashMap<>(
                                java.util.Map.of("deployment.kubernetes.io/revision", "1")))))
        .isFalse();
  }

  @Test
  void rolloutProgressDriftAndAStuckRolloutDo() {
    assertThat(changed(d -> d.getStatus().setObservedGeneration(2L))).isTrue();
    assertThat(changed(d -> d.getStatus().setReadyReplicas(1))).isTrue();
    assertThat(changed(d -> d.getStatus().setUpdatedReplicas(1))).isTrue();
    assertThat(changed(d -> d.getSpec().setReplicas(3))).isTrue();
    assertThat(changed(d -> d.getMetadata().getLabels().clear())).isTrue();
    assertThat(
            changed(
                d ->
                    d.getMetadata()
                        .setAnnotations(
                            new java.util.HashMap<>(
                                java.util.Map.of("tinystatic.dev/spec-digest", "edited")))))
        .isTrue();
    assertThat(changed(d -> d.getMetadata().getOwnerReferences().clear())).isTrue();
    assertThat(
            changed(
                d ->
                    d.getStatus()
                        .getConditions()
                        .add(
                            new DeploymentConditionBuilder()
                                .withType("Progressing")
                                .withStatus("False")
                                .withReason("ProgressDeadlineExceeded")
                                .withMessage("timed out")
                                .build())))
        .isTrue();
  }

  private boolean changed(Consumer<Deployment> change) {
    Deployment old = deployment();
    Deployment updated = deployment();
    change.accept(updated);
    return filter.accept(updated, old);
  }

  private static Deployment deployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("s")
        .withGeneration(1L)
        .withResourceVersion("7")
        .addToLabels("app.kubernetes.io/instance", "s")
        .addNewOwnerReference()
        .withUid("u")
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(1L)
        .withReplicas(1)
        .withUpdatedReplicas(0)
        .withReadyReplicas(0)
        .withAvailableReplicas(0)
        .endStatus()
        .build();
  }
}
