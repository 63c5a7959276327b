package dev.tinystatic.image;

import dev.tinystatic.server.OciImage;
import dev.tinystatic.server.OciIndex;
import java.util.List;

/**
 * A site image in the registry: an OCI index with one image per platform.
 *
 * @param key the {@link SiteImage#key} it was baked for
 * @param digest its index digest, {@code sha256:...}
 * @param pullReference what pods run: the pull repository pinned by the index digest
 * @param bytes what a node downloads at most: config and layers of its largest platform image
 * @param platforms each platform's image, when this operator process baked it; empty for an image
 *     it found already deployed
 * @param pushed whether this bake uploaded it (false: the registry had it already)
 * @param uploadedBytes what this bake sent to the registry: blobs it uploaded (not those the
 *     repository had or mounted from another repository) and manifests
 */
public record BakedImage(
    String key,
    String digest,
    String pullReference,
    long bytes,
    List<Platform> platforms,
    boolean pushed,
    long uploadedBytes) {

  /**
   * One platform's image of the index.
   *
   * @param platform e.g. {@code linux/arm64}
   * @param digest its manifest digest
   * @param bytes config and layers, what a node of this platform downloads
   * @param configBytes its config
   * @param layerBytes each layer, compressed: server, then files
   */
  public record Platform(
      String platform, String digest, long bytes, long configBytes, List<Long> layerBytes) {

    public Platform {
      layerBytes = List.copyOf(layerBytes);
    }

    static Platform of(OciImage image) {
      return new Platform(
          image.arch().platform(),
          image.digest().toString(),
          image.size(),
          image.config().length,
          image.layerSizes());
    }
  }

  public BakedImage {
    platforms = List.copyOf(platforms);
  }

  /** The image of {@code index} for {@code key}, run from {@code pullRepository}. */
  static BakedImage of(
      String key, OciIndex index, String pullRepository, boolean pushed, long uploadedBytes) {
    String digest = index.digest().toString();
    return new BakedImage(
        key,
        digest,
        pullRepository + "@" + digest,
        index.images().stream().mapToLong(OciImage::size).max().orElseThrow(),
        index.images().stream().map(Platform::of).toList(),
        pushed,
        uploadedBytes);
  }

  /** An image found deployed (baked earlier, e.g. before the operator restarted). */
  public static BakedImage recorded(String key, String pullReference, long bytes) {
    String digest = pullReference.substring(pullReference.lastIndexOf('@') + 1);
    return new BakedImage(key, digest, pullReference, bytes, List.of(), false, 0);
  }
}
