package dev.tinystatic.delivery;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.RolloutStrategy;
import dev.tinystatic.api.SiteRevision;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteSpec;
import dev.tinystatic.api.TinyStaticSiteStatus;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.image.SiteImage;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that decides how a site's content reaches its pods, for the operator and for {@code
 * tinystatic render} alike; only where a baked image comes from differs between them.
 */
public final class DeliveryPlanner {

  /**
   * Where Image delivery gets the site's image: the operator bakes and pushes it, render makes it
   * in memory.
   */
  @FunctionalInterface
  public interface ImageSource<E extends Exception> {
    /**
     * @param registry the operator's registry; empty when it has none (which Image delivery needs)
     * @throws E when the image is not there (yet)
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

  /** The plan that delivers {@code content} to the site's pods. */
  public static <E extends Exception> DeliveryPlan plan(
      TinyStaticSite site, SiteContent content, OperatorConfig config, ImageSource<E> images)
      throws E {
    Revision revision =
        switch (deliveryOf(site.getSpec(), config)) {
          case ConfigMap -> configMapRevision(site, content, config);
          case Image ->
              ImageDelivery.revision(
                  content.hash(),
                  images.image(SiteImage.of(site, content), config.registry()),
                  config.imagePullSecrets());
        };
    return new DeliveryPlan(content, revision);
  }

  /**
   * What the pods keep running while {@code content} cannot be delivered (its image is not baked
   * yet), as the site's status names it: the image they last ran, or, for a site served by
   * ConfigMap, that delivery of this content. Empty for a site that has not been served.
   *
   * @param imageKey the key recorded with the last image, when the Deployment still runs it
   */
  public static Optional<DeliveryPlan> held(
      TinyStaticSite site, SiteContent content, OperatorConfig config, Optional<String> imageKey) {
    TinyStaticSiteStatus served = site.getStatus();
    if (served == null || served.getDelivery() == null) {
      return Optional.empty();
    }
    Optional<Revision> revision =
        switch (served.getDelivery()) {
          case ConfigMap -> Optional.of(configMapRevision(site, content, config));
          case Image ->
              Optional.ofNullable(served.getImage())
                  .filter(image -> served.getContentHash() != null)
                  .map(
                      image ->
                          ImageDelivery.revision(
                              served.getContentHash(),
                              BakedImage.recorded(
                                  imageKey.orElse(null),
                                  image,
                                  Optional.ofNullable(served.getImageBytes()).orElse(0L)),
                              config.imagePullSecrets()));
        };
    return revision.map(r -> new DeliveryPlan(content, r));
  }

  /**
   * Roll back: the pods run a revision that went live before ({@code spec.revision}), from its
   * image or its revision ConfigMap, whatever the site's files are now.
   *
   * @param items ConfigMap delivery: key to path of each file of the revision's ConfigMap, when it
   *     is still there
   * @return empty when the revision cannot be served any more
   */
  public static Optional<DeliveryPlan> rollback(
      TinyStaticSite site,
      SiteContent content,
      OperatorConfig config,
      SiteRevision previous,
      Optional<Map<String, String>> items) {
    Optional<Revision> revision =
        previous.getImage() != null
            ? Optional.of(
                ImageDelivery.revision(
                    previous.getContentHash(),
                    BakedImage.recorded(null, previous.getImage(), 0L),
                    config.imagePullSecrets()))
            : items.map(
                i ->
                    ConfigMapDelivery.revisionCopy(
                        site,
                        previous.getContentHash(),
                        i,
                        content.serving(),
                        config.serverImage(),
                        config.imagePullSecrets()));
    return revision.map(r -> new DeliveryPlan(content, r));
  }

  private static Revision configMapRevision(
      TinyStaticSite site, SiteContent content, OperatorConfig config) {
    if (site.getSpec().strategyOrDefault() == RolloutStrategy.Atomic) {
      return ConfigMapDelivery.revisionCopy(
          site,
          content.hash(),
          RevisionContent.items(content),
          content.serving(),
          config.serverImage(),
          config.imagePullSecrets());
    }
    return ConfigMapDelivery.revision(
        site, content, config.serverImage(), config.imagePullSecrets());
  }
}
