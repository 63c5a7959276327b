package dev.tinystatic.dependent;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.delivery.DeliveryPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** Every object a site owns, as the operator's dependents build them (for {@code render}). */
public final class DesiredObjects {

  private DesiredObjects() {}

  public static List<HasMetadata> of(TinyStaticSite site, DeliveryPlan plan) {
    return List.of(
        ContentConfigMapDependent.desiredConfigMap(site, plan.content()),
        DeploymentDependent.desiredDeployment(site, plan.revision()),
        ServiceDependent.desiredService(site));
  }
}
