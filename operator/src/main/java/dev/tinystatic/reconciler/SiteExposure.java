package dev.tinystatic.reconciler;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.dependent.HttpRouteDependent;
import dev.tinystatic.dependent.IngressDependent;
import dev.tinystatic.dependent.ServiceDependent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Optional;

/**
 * How users reach a site beyond its Service, in status: the URL (the Ingress host when there is
 * one), and the {@code Routed} condition, which says whether the host is routed yet. Routing is not
 * readiness: the Service serves either way, so Ready does not wait for it; only a spec.gateway the
 * cluster cannot honour (no Gateway API) makes the site not Ready.
 */
final class SiteExposure {

  private SiteExposure() {}

  /**
   * status.url: {@code https://HOST/} (or http without TLS) with spec.ingress, else the Service.
   */
  static String url(TinyStaticSite site) {
    return site.getSpec().getIngress() != null
        ? IngressDependent.url(site)
        : ServiceDependent.url(site);
  }

  static void report(
      TinyStaticSite site, Context<TinyStaticSite> context, SiteStatusBuilder status) {
    var spec = site.getSpec();
    if (spec.getGateway() != null && !GatewayApi.available(context.getClient())) {
      status.notReady(
          SiteConditions.GATEWAY_API_MISSING,
          "spec.gateway needs the Gateway API ("
              + HttpRouteDependent.API
              + "), which this cluster does not serve: install its CRDs"
              + " (https://gateway-api.sigs.k8s.io/guides/#installing-gateway-api) or use"
              + " spec.ingress; the site serves through its Service meanwhile");
    }
    if (spec.getIngress() != null) {
      String host = spec.getIngress().getHost();
      List<String> addresses =
          context
              .getSecondaryResource(Ingress.class)
              .map(IngressDependent::addresses)
              .orElse(List.of());
      status.routed(
          !addresses.isEmpty(),
          addresses.isEmpty() ? SiteConditions.NO_ADDRESS : SiteConditions.ADDRESS_ASSIGNED,
          addresses.isEmpty()
              ? host
                  + " is not routed yet: the Ingress has no address, so no ingress controller"
                  + " has taken it up"
                  + Optional.ofNullable(spec.getIngress().getClassName())
                      .map(c -> " (class " + c + ")")
                      .orElse(" (the cluster's default class)")
                  + "; the site serves through its Service meanwhile"
              : host + " is routed by the ingress controller at " + String.join(", ", addresses));
    } else if (spec.getGateway() != null && GatewayApi.available(context.getClient())) {
      boolean accepted =
          context
              .getSecondaryResource(HTTPRoute.class)
              .map(HTTPRoute::getStatus)
              .map(HTTPRouteStatus::getParents)
              .orElse(List.of())
              .stream()
              .map(RouteParentStatus::getConditions)
              .filter(java.util.Objects::nonNull)
              .flatMap(List::stream)
              .anyMatch(SiteExposure::acceptedTrue);
      status.routed(
          accepted,
          accepted ? SiteConditions.ROUTE_ACCEPTED : SiteConditions.ROUTE_NOT_ACCEPTED,
          accepted
              ? "a Gateway accepted the HTTPRoute"
              : "no Gateway has accepted the HTTPRoute yet (spec.gateway.parentRefs)");
    } else {
      status.notRouted();
    }
  }

  private static boolean acceptedTrue(Condition condition) {
    return "Accepted".equals(condition.getType()) && "True".equals(condition.getStatus());
  }
}
