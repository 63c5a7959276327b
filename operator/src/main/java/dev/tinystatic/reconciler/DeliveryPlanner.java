package dev.tinystatic.reconciler;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.delivery.ConfigMapDelivery;
import dev.tinystatic.dependent.SitePlan;

/** The one place that decides how a site's content reaches its pods. */
final class DeliveryPlanner {

  private final OperatorConfig config;

  DeliveryPlanner(OperatorConfig config) {
    this.config = config;
  }

  /** The delivery a site gets: what it asks for, else the operator's default. */
  Delivery deliveryOf(TinyStaticSite site) {
    Delivery asked = site.getSpec().getDelivery();
    return asked != null ? asked : Delivery.ConfigMap;
  }

  SitePlan plan(TinyStaticSite site, SiteContent content) throws SiteProblem {
    return switch (deliveryOf(site)) {
      case ConfigMap -> ConfigMapDelivery.plan(site, content, config.serverImage());
      case Image ->
          throw SiteProblem.delivery(
              "ImageDeliveryUnavailable",
              "delivery: Image needs a registry, and this operator has none configured;"
                  + " use delivery: ConfigMap");
    };
  }
}
