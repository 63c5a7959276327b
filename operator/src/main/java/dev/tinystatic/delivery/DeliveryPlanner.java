package dev.tinystatic.delivery;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteSpec;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.image.SiteImage;
import java.util.Optional;

/**
 * The one place that decides how a site's content reaches its pods, for the operator and for {@code
 * tinystatic render} alike; only where a baked image comes from differs between them.
 */
public final class DeliveryPlanner {

  /**
   * Where Image delivery gets the site's image: the operator bakes and pushes it, render archives
   * it.
   */
  @FunctionalInterface
  public interface ImageSource<E extends Exception> {
    /**
     * @param registry the operator's registry; empty when it has none (which Image delivery needs)
     */
    BakedImage image(SiteImage image, Optional<RegistryConfig> registry) throws E;
  }

  private DeliveryPlanner() {}

  /** The delivery a site gets: what it asks for, else Image when the operator has a registry. */
  public static Delivery deliveryOf(TinyStaticSiteSpec spec, OperatorConfig config) {
    if (spec.getDelivery() != null) {
      return spec.getDelivery();
    }
    return config.registry().isPresent() ? Delivery.Image : Delivery.ConfigMap;
  }

  public static <E extends Exception> DeliveryPlan plan(
      TinyStaticSite site, SiteContent content, OperatorConfig config, ImageSource<E> images)
      throws E {
    return switch (deliveryOf(site.getSpec(), config)) {
      case ConfigMap ->
          ConfigMapDelivery.plan(site, content, config.serverImage(), config.imagePullSecrets());
      case Image ->
          ImageDelivery.plan(
              content,
              images.image(SiteImage.of(site, content), config.registry()),
              config.imagePullSecrets());
    };
  }
}
