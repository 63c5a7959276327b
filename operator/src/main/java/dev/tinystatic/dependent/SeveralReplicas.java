package dev.tinystatic.dependent;

import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The PodDisruptionBudget exists for two replicas or more; JOSDK deletes it below. */
public class SeveralReplicas implements Condition<PodDisruptionBudget, TinyStaticSite> {

  @Override
  public boolean isMet(
      DependentResource<PodDisruptionBudget, TinyStaticSite> dependent,
      TinyStaticSite site,
      Context<TinyStaticSite> context) {
    return PodDisruptionBudgetDependent.wanted(site);
  }
}
