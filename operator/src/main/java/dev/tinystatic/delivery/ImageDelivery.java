package dev.tinystatic.delivery;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.image.BakedImage;
import java.util.List;
import java.util.Optional;

/**
 * Image delivery: the pod runs the site's own baked image, pinned by digest; its files are in the
 * image, so the pod mounts no volume at all.
 */
public final class ImageDelivery {

  private ImageDelivery() {}

  public static DeliveryPlan plan(SiteContent content, BakedImage image, List<String> pullSecrets) {
    return new DeliveryPlan(
        content,
        Delivery.Image,
        image.pullReference(),
        List.of(),
        List.of(),
        pullSecrets,
        Optional.of(image));
  }
}
