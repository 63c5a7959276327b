package dev.tinystatic.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Plays the Deployment controller and kubelet on the mock API server, which has neither: sets a
 * Deployment's status as they would once its pods run.
 */
public final class FakeKubelet {

  private FakeKubelet() {}

  /** All wanted pods run the current template and are available. */
  public static void rolledOut(KubernetesClient client, String namespace, String name) {
    setStatus(client, namespace, name, Integer.MAX_VALUE);
  }

  /** {@code ready} pods of the current template are ready, and the rollout goes on. */
  public static void setStatus(KubernetesClient client, String namespace, String name, int ready) {
    var deployments = client.apps().deployments().inNamespace(namespace).withName(name);
    // The operator may update the Deployment meanwhile (409): read it again and retry.
    Edits.retryOnConflict(
        () -> {
          Deployment current = deployments.get();
          int wanted = current.getSpec().getReplicas();
          int up = Math.min(ready, wanted);
          current.setStatus(
              new DeploymentStatusBuilder()
                  .withObservedGeneration(current.getMetadata().getGeneration())
                  .withReplicas(up)
                  .withUpdatedReplicas(up)
                  .withReadyReplicas(up)
                  .withAvailableReplicas(up)
                  .build());
          return deployments.updateStatus(current);
        });
  }
}
