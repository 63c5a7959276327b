package dev.tinystatic.cli;

import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.delivery.ConfigMapDelivery;
import dev.tinystatic.delivery.DeliveryChoice;
import dev.tinystatic.delivery.ImageDelivery;
import dev.tinystatic.dependent.SitePlan;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.image.ImageArchive;
import dev.tinystatic.image.SiteImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The plan the operator would make for a site, outside a cluster. For Image delivery the image is
 * baked into a throwaway OCI archive: same code and inputs as the operator's push, so the same
 * digest.
 */
final class Plans {

  private Plans() {}

  static SitePlan plan(SiteInput input, OperatorConfig config) throws InputException, IOException, InterruptedException {
    return switch (DeliveryChoice.of(input.site().getSpec(), config)) {
      case ConfigMap ->
          ConfigMapDelivery.plan(input.site(), input.content(), config.serverImage(), config.imagePullSecrets());
      case Image -> ImageDelivery.plan(input.content(), bakeOffline(input, config), config.imagePullSecrets());
    };
  }

  private static BakedImage bakeOffline(SiteInput input, OperatorConfig config)
      throws InputException, IOException, InterruptedException {
    RegistryConfig registry = config.registry().orElseThrow(() -> new InputException(
        "the site asks for delivery: Image, which needs a registry: set TINYSTATIC_REGISTRY (or"
            + " --registry) as the operator has it, or use delivery: ConfigMap"));
    String namespace = input.site().getMetadata().getNamespace();
    String name = input.site().getMetadata().getName();
    Path work = Files.createTempDirectory("tinystatic-render-");
    try {
      return ImageArchive.write(
          image(input), work.resolve("image.tar"), registry.pushRepository(namespace, name),
          registry.pullRepository(namespace, name), work.resolve("cache"));
    } finally {
      Files.walk(work).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static SiteImage image(SiteInput input) {
    var site = input.site();
    return new SiteImage(
        site.getMetadata().getNamespace() + "/" + site.getMetadata().getName(),
        input.content(),
        site.getSpec().portOrDefault());
  }
}
