package dev.tinystatic.dependent;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.RolloutStrategy;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.delivery.DeliveryPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every object a site owns, as the operator's dependents build them (for {@code render}). */
public final class DesiredObjects {

  private DesiredObjects() {}

  /** The objects of a site serving {@code plan}'s revision (live, for an Atomic site). */
  public static List<HasMetadata> of(TinyStaticSite site, DeliveryPlan plan) {
    List<HasMetadata> objects = new ArrayList<>();
    if (site.getSpec().strategyOrDefault() == RolloutStrategy.Atomic) {
      if (plan.revision().delivery() == Delivery.ConfigMap) {
        objects.add(RevisionConfigMaps.desired(site, plan.content()));
      }
      objects.add(DeploymentDependent.revisionDeployment(site, plan.revision()));
      objects.add(
          ServiceDependent.desiredService(
              site, Optional.of(SiteObjects.revisionOf(plan.revision().contentHash()))));
    } else {
      objects.add(ContentConfigMapDependent.desiredConfigMap(site, plan.content()));
      objects.add(DeploymentDependent.desiredDeployment(site, plan.revision()));
      objects.add(ServiceDependent.desiredService(site));
    }
    if (PodDisruptionBudgetDependent.wanted(site)) {
      objects.add(PodDisruptionBudgetDependent.desiredPodDisruptionBudget(site));
    }
    if (site.getSpec().getIngress() != null) {
      objects.add(IngressDependent.desiredIngress(site));
    }
    if (site.getSpec().getGateway() != null) {
      objects.add(HttpRouteDependent.desiredRoute(site));
    }
    return objects;
  }
}
