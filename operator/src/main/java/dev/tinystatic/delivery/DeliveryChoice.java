package dev.tinystatic.delivery;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.TinyStaticSiteSpec;
import dev.tinystatic.config.OperatorConfig;

/** Which delivery a site gets: what it asks for, else Image when the operator has a registry. */
public final class DeliveryChoice {

  private DeliveryChoice() {}

  public static Delivery of(TinyStaticSiteSpec spec, OperatorConfig config) {
    if (spec.getDelivery() != null) {
      return spec.getDelivery();
    }
    return config.registry().isPresent() ? Delivery.Image : Delivery.ConfigMap;
  }
}
