package dev.tinystatic.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * Which pods the Service sends visitors to, as the reconciler decided it for this reconciliation.
 *
 * @param liveRevision Atomic rollout: the revision (short hash) whose pods the Service selects;
 *     empty: every pod of the site (Rolling, or the switch from Rolling before a revision is ready)
 * @param rollingDeployment whether the site's one rolled Deployment ({@code <site>}) and its
 *     content ConfigMap are wanted: with Rolling, or with Atomic until a revision is live
 */
public record Cutover(Optional<String> liveRevision, boolean rollingDeployment) {

  public static final Cutover ROLLING = new Cutover(Optional.empty(), true);

  public void storeIn(Context<?> context) {
    context.managedWorkflowAndDependentResourceContext().put(Cutover.class, this);
  }

  public static Cutover from(Context<?> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(Cutover.class, Cutover.class)
        .orElse(ROLLING);
  }
}
