package dev.tinystatic.delivery;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.image.BakedImage;
import java.util.List;
import java.util.Optional;

/**
 * Image delivery: the pod runs the site's own baked image, pinned by digest; its files are in the
 * image, so the pod mounts no volume at all; so are the server's arguments, headers file included
 * (the image's CMD), which keeps a pod held on an older image running it as it was baked.
 */
final class ImageDelivery {

  private ImageDelivery() {}

  /**
   * @param contentHash the content baked into {@code image}
   */
  static Revision revision(String contentHash, BakedImage image, List<String> pullSecrets) {
    return new Revision(
        contentHash,
        Delivery.Image,
        image.pullReference(),
        List.of(),
        List.of(),
        pullSecrets,
        Optional.of(image),
        List.of());
  }
}
