package dev.tinystatic.image;

import java.util.List;

/**
 * A site image in the registry.
 *
 * @param key the {@link SiteImage#key} it was baked for
 * @param digest its manifest digest, {@code sha256:...}
 * @param pullReference what pods run: the pull repository pinned by digest
 * @param bytes what a node downloads: config and layers
 * @param layerBytes compressed bytes of each layer (server, then files), when this operator process
 *     baked it; empty for an image it found already deployed
 * @param pushed whether this bake uploaded it (false: the registry had it already)
 */
public record BakedImage(
    String key,
    String digest,
    String pullReference,
    long bytes,
    List<Long> layerBytes,
    boolean pushed) {

  public BakedImage {
    layerBytes = List.copyOf(layerBytes);
  }

  /** An image found deployed (baked earlier, e.g. before the operator restarted). */
  public static BakedImage recorded(String key, String pullReference, long bytes) {
    String digest = pullReference.substring(pullReference.lastIndexOf('@') + 1);
    return new BakedImage(key, digest, pullReference, bytes, List.of(), false);
  }
}
