package dev.tinystatic.cli;

import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.delivery.DeliveryPlan;
import dev.tinystatic.delivery.DeliveryPlanner;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.image.ImageArchive;
import dev.tinystatic.image.SiteImage;
import java.io.IOException;
import java.util.Optional;

/**
 * The plan the operator would make for a site, outside a cluster. For Image delivery the image is
 * made in memory by the same code and inputs as the operator's push, so it names the same digest.
 */
final class Plans {

  private Plans() {}

  /**
   * @throws Exception an {@link InputException} for a site that cannot be planned, else I/O
   */
  static DeliveryPlan plan(SiteInput input, OperatorConfig config) throws Exception {
    return DeliveryPlanner.plan(
        input.site(),
        input.content(),
        config,
        (image, registry) -> bakeOffline(input, image, registry));
  }

  private static BakedImage bakeOffline(
      SiteInput input, SiteImage image, Optional<RegistryConfig> configured)
      throws InputException, IOException, InterruptedException {
    RegistryConfig registry =
        configured.orElseThrow(
            () ->
                new InputException(
                    "the site asks for delivery: Image, which needs a registry: set"
                        + " TINYSTATIC_REGISTRY (or --registry) as the operator has it, or use"
                        + " delivery: ConfigMap"));
    String namespace = input.site().getMetadata().getNamespace();
    String name = input.site().getMetadata().getName();
    return ImageArchive.preview(
        image, registry.pushRepository(namespace, name), registry.pullRepository(namespace, name));
  }

  static SiteImage image(SiteInput input) {
    return SiteImage.of(input.site(), input.content());
  }
}
