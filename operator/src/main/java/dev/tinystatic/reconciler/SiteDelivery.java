package dev.tinystatic.reconciler;

import com.google.cloud.tools.jib.api.Credential;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteStatus;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.delivery.DeliveryPlan;
import dev.tinystatic.delivery.DeliveryPlanner;
import dev.tinystatic.dependent.DeploymentDependent;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.image.ImageBakes;
import dev.tinystatic.image.SiteImage;
import dev.tinystatic.image.SiteImageBaker;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** The one place that decides how a site's content reaches its pods. */
final class SiteDelivery {

  private final OperatorConfig config;
  private final Optional<SiteImageBaker> baker;
  private final ImageBakes<ResourceID> bakes;
  private final Supplier<Optional<Credential>> credentials;

  /**
   * @param baker the image baker, present when the operator has a registry
   * @param bakes runs bakes in the background
   * @param credentials reads the registry's push credentials when a bake needs them
   */
  SiteDelivery(
      OperatorConfig config,
      Optional<SiteImageBaker> baker,
      ImageBakes<ResourceID> bakes,
      Supplier<Optional<Credential>> credentials) {
    this.config = config;
    this.baker = baker;
    this.bakes = bakes;
    this.credentials = credentials;
  }

  /**
   * How this content reaches the site's pods.
   *
   * @param current the site's Deployment as it is, if any
   * @throws SiteProblem when the content cannot be delivered yet: no registry, a bake running, or a
   *     bake that failed (retried after a backoff)
   */
  DeliveryPlan plan(TinyStaticSite site, SiteContent content, Optional<Deployment> current)
      throws SiteProblem {
    return DeliveryPlanner.plan(
        site, content, config, (image, registry) -> bakedImage(site, image, registry, current));
  }

  private BakedImage bakedImage(
      TinyStaticSite site,
      SiteImage image,
      Optional<RegistryConfig> configured,
      Optional<Deployment> current)
      throws SiteProblem {
    RegistryConfig registry =
        configured.orElseThrow(
            () ->
                SiteProblem.delivery(
                    "ImageDeliveryUnavailable",
                    "delivery: Image needs a registry, and this operator has none configured"
                        + " (TINYSTATIC_REGISTRY); use delivery: ConfigMap",
                    Optional.empty()));
    String namespace = site.getMetadata().getNamespace();
    String name = site.getMetadata().getName();
    String pushRepository = registry.pushRepository(namespace, name);
    String pullRepository = registry.pullRepository(namespace, name);
    String key = image.key(pushRepository, pullRepository);
    ResourceID id = ResourceID.fromResource(site);
    Optional<BakedImage> known =
        bakes.baked(id, key).or(() -> deployedImage(site, current, key, pullRepository));
    if (known.isPresent()) {
      return known.get();
    }
    var outcome =
        bakes.request(
            id,
            key,
            () ->
                baker
                    .orElseThrow()
                    .bake(
                        image,
                        pushRepository,
                        Optional.empty(),
                        pullRepository,
                        credentials.get()));
    if (outcome instanceof ImageBakes.Baked baked) {
      return baked.image();
    }
    if (outcome instanceof ImageBakes.Failed failed) {
      throw SiteProblem.delivery(
          "ImagePushFailed",
          "cannot bake and push the site image: "
              + failed.message()
              + (current.isPresent() ? "; the pods keep running the previous image" : "")
              + "; retrying",
          failed.retryIn().isZero() ? Optional.empty() : Optional.of(failed.retryIn()));
    }
    throw SiteProblem.delivery(
        "Baking", "baking the site image and pushing it to " + pushRepository, Optional.empty());
  }

  /**
   * The image the Deployment already runs, when it was baked for exactly this key: found again
   * after an operator restart without baking (or even asking the registry). Its size comes from the
   * status written when it was baked.
   */
  private static Optional<BakedImage> deployedImage(
      TinyStaticSite site, Optional<Deployment> current, String key, String pullRepository) {
    return current
        .filter(d -> d.getMetadata().getAnnotations() != null)
        .filter(
            d -> key.equals(d.getMetadata().getAnnotations().get(SiteObjects.IMAGE_KEY_ANNOTATION)))
        .flatMap(
            d ->
                d.getSpec().getTemplate().getSpec().getContainers().stream()
                    .filter(c -> DeploymentDependent.CONTAINER.equals(c.getName()))
                    // The annotation may outlive the image (kept by a plain update after a switch
                    // to
                    // ConfigMap delivery): trust it only beside an image of this repository.
                    .filter(
                        c ->
                            c.getImage() != null
                                && c.getImage().startsWith(pullRepository + "@sha256:"))
                    .findFirst())
        .map(
            container ->
                BakedImage.recorded(
                    key,
                    container.getImage(),
                    Optional.ofNullable(site.getStatus())
                        .filter(s -> Objects.equals(s.getImage(), container.getImage()))
                        .map(TinyStaticSiteStatus::getImageBytes)
                        .orElse(0L)));
  }
}
