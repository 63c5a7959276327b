package dev.tinystatic.reconciler;

import com.google.cloud.tools.jib.api.Credential;
import dev.tinystatic.api.Delivery;
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
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Delivery in the cluster: the plan for a site's content, its image baked in the background (Image
 * delivery) and found again after a restart; until that image is there, the revision the pods keep
 * running, so that the site's objects are still applied (and repaired) meanwhile.
 */
final class SiteDelivery {

  /**
   * @param apply the plan to apply now: the content's own, or while it cannot be delivered, one
   *     that keeps what the pods run; empty for a site that has not been served yet
   * @param pending why the content is not delivered yet
   */
  record Decision(Optional<DeliveryPlan> apply, Optional<DeliveryProblem> pending) {}

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
   * @param current the site's Deployment as it is, if any
   */
  Decision plan(TinyStaticSite site, SiteContent content, Optional<Deployment> current) {
    try {
      return new Decision(
          Optional.of(
              DeliveryPlanner.plan(
                  site,
                  content,
                  config,
                  (image, registry) -> bakedImage(site, image, registry, current))),
          Optional.empty());
    } catch (DeliveryProblem problem) {
      Optional<DeliveryPlan> held =
          DeliveryPlanner.held(
              site,
              content,
              config,
              Optional.ofNullable(site.getStatus())
                  .map(TinyStaticSiteStatus::getImage)
                  .flatMap(image -> imageKeyOf(current, image)));
      return new Decision(held, Optional.of(problem.meanwhile(meanwhile(held))));
    }
  }

  private BakedImage bakedImage(
      TinyStaticSite site,
      SiteImage image,
      Optional<RegistryConfig> configured,
      Optional<Deployment> current)
      throws DeliveryProblem {
    RegistryConfig registry =
        configured.orElseThrow(
            () ->
                new DeliveryProblem(
                    SiteConditions.IMAGE_DELIVERY_UNAVAILABLE,
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
      throw new DeliveryProblem(
          SiteConditions.IMAGE_PUSH_FAILED,
          "cannot bake and push the site image (retrying): " + failed.message(),
          failed.retryIn().isZero() ? Optional.empty() : Optional.of(failed.retryIn()));
    }
    throw new DeliveryProblem(
        SiteConditions.BAKING,
        "baking the site image and pushing it to " + pushRepository,
        Optional.empty());
  }

  /** What the pods do until the content is delivered, for the problem's message. */
  private static String meanwhile(Optional<DeliveryPlan> held) {
    return held.map(
            plan ->
                plan.revision().delivery() == Delivery.Image
                    ? "; the pods keep running the previous image"
                    : "; meanwhile the pods serve it from the ConfigMap")
        .orElse("");
  }

  /**
   * The image the Deployment already runs, when it was baked for exactly this key: found again
   * after an operator restart without baking (or even asking the registry). Its size comes from the
   * status written when it was baked.
   */
  private static Optional<BakedImage> deployedImage(
      TinyStaticSite site, Optional<Deployment> current, String key, String pullRepository) {
    return current
        .filter(d -> key.equals(imageKeyAnnotation(d)))
        .flatMap(SiteDelivery::server)
        // The annotation may outlive the image (kept by a plain update after a switch to
        // ConfigMap delivery): trust it only beside an image of this repository.
        .filter(c -> c.getImage() != null && c.getImage().startsWith(pullRepository + "@sha256:"))
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

  /** The baked-image key on the Deployment, when it runs {@code image}. */
  private static Optional<String> imageKeyOf(Optional<Deployment> current, String image) {
    return current
        .filter(d -> server(d).map(c -> image.equals(c.getImage())).orElse(false))
        .map(SiteDelivery::imageKeyAnnotation);
  }

  private static String imageKeyAnnotation(Deployment deployment) {
    var annotations = deployment.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(SiteObjects.IMAGE_KEY_ANNOTATION);
  }

  private static Optional<Container> server(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> DeploymentDependent.CONTAINER.equals(c.getName()))
        .findFirst();
  }
}
