package dev.tinystatic.dependent;

import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * A PodDisruptionBudget for sites of two pods or more: a node drain evicts one pod at a time, so
 * the site keeps serving. Below two pods it would block drains for good, so it is removed ({@link
 * SeveralReplicas}).
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = SiteObjects.MANAGED_SELECTOR,
            itemStore = AppliedFieldsStore.class))
public class PodDisruptionBudgetDependent extends SiteDependent<PodDisruptionBudget> {

  public static final String NAME = "pdb";

  public PodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class, SiteObjects::podDisruptionBudgetName);
  }

  @Override
  protected PodDisruptionBudget desired(TinyStaticSite site, Context<TinyStaticSite> context) {
    return desiredPodDisruptionBudget(site);
  }

  public static PodDisruptionBudget desiredPodDisruptionBudget(TinyStaticSite site) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(
            SiteObjects.metadata(site, SiteObjects.podDisruptionBudgetName(site), "server"))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(SiteObjects.selectorLabels(site))
        .endSelector()
        .endSpec()
        .build();
  }

  /** Whether the site gets a budget: two replicas or more. */
  public static boolean wanted(TinyStaticSite site) {
    return site.getSpec().replicasOrDefault() >= 2;
  }
}
