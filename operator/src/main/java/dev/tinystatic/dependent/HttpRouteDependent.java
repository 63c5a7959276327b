package dev.tinystatic.dependent;

import dev.tinystatic.api.SiteGateway;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/**
 * spec.gateway: an HTTPRoute named like the site that attaches to the given Gateways and sends
 * every request for its host names to the site's Service. Deleted when spec.gateway is removed
 * ({@link Wanted}); never watched on a cluster without the Gateway API (the workflow's activation
 * condition checks the API first).
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = SiteObjects.MANAGED_SELECTOR,
            itemStore = AppliedFieldsStore.class))
public class HttpRouteDependent extends SiteDependent<HTTPRoute> {

  public static final String NAME = "httproute";

  /** What spec.gateway needs from the cluster, for messages. */
  public static final String API = "gateway.networking.k8s.io/v1 HTTPRoute";

  public HttpRouteDependent() {
    super(HTTPRoute.class, SiteObjects::serviceName);
  }

  @Override
  protected HTTPRoute desired(TinyStaticSite site, Context<TinyStaticSite> context) {
    return desiredRoute(site);
  }

  public static HTTPRoute desiredRoute(TinyStaticSite site) {
    SiteGateway gateway = site.getSpec().getGateway();
    List<ParentReference> parents =
        (gateway.getParentRefs() == null
                ? List.<SiteGateway.ParentRef>of()
                : gateway.getParentRefs())
            .stream()
                .map(
                    ref ->
                        new ParentReferenceBuilder()
                            .withName(ref.getName())
                            .withNamespace(ref.getNamespace())
                            .withSectionName(ref.getSectionName())
                            .build())
                .toList();
    return new HTTPRouteBuilder()
        .withMetadata(SiteObjects.metadata(site, SiteObjects.serviceName(site), "route"))
        .withNewSpec()
        .withParentRefs(parents)
        .withHostnames(gateway.getHostnames())
        .addNewRule()
        .addNewBackendRef()
        .withName(SiteObjects.serviceName(site))
        .withPort(ServiceDependent.servicePort(site))
        .endBackendRef()
        .endRule()
        .endSpec()
        .build();
  }

  /** The workflow's precondition: a route only while spec.gateway is set, else it is deleted. */
  public static class Wanted extends SiteCondition<HTTPRoute> {
    public Wanted() {
      super((site, context) -> site.getSpec().getGateway() != null);
    }
  }
}
