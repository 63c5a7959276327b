package dev.tinystatic.delivery;

import dev.tinystatic.content.SiteContent;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What one reconciliation hands the dependents that build the desired objects: the site's validated
 * content (kept in its ConfigMap) and the revision its pods run. The two differ only while the
 * content cannot be delivered yet and the pods keep what they ran.
 *
 * @param content the site's validated files and their hash
 * @param revision what the pods run
 */
public record DeliveryPlan(SiteContent content, Revision revision) {

  /** Whether the pods run this content (rather than a revision held while it cannot be). */
  public boolean current() {
    return revision.contentHash().equals(content.hash());
  }

  public void storeIn(Context<?> context) {
    context.managedWorkflowAndDependentResourceContext().put(DeliveryPlan.class, this);
  }

  public static DeliveryPlan from(Context<?> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(DeliveryPlan.class, DeliveryPlan.class);
  }
}
