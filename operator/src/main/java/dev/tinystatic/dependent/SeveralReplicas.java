package dev.tinystatic.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/** The PodDisruptionBudget exists for two replicas or more; JOSDK deletes it below. */
public class SeveralReplicas extends SiteCondition<PodDisruptionBudget> {

  public SeveralReplicas() {
    super((site, context) -> PodDisruptionBudgetDependent.wanted(site));
  }
}
