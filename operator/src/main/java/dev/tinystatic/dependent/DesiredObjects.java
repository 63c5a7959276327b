package dev.tinystatic.dependent;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.delivery.DeliveryPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** Every object a site owns, as the operator's dependents build them (for {@code render}). */
public final class DesiredObjects {

  private DesiredObjects() {}

  public static List<HasMetadata> of(TinyStaticSite site, DeliveryPlan plan) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(ContentConfigMapDependent.desiredConfigMap(site, plan.content()));
    objects.add(DeploymentDependent.desiredDeployment(site, plan.revision()));
    objects.add(ServiceDependent.desiredService(site));
    if (site.getSpec().getIngress() != null) {
      objects.add(IngressDependent.desiredIngress(site));
    }
    if (site.getSpec().getGateway() != null) {
      objects.add(HttpRouteDependent.desiredRoute(site));
    }
    return objects;
  }
}
