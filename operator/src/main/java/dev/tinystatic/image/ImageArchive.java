package dev.tinystatic.image;

import dev.tinystatic.server.OciArchive;
import dev.tinystatic.server.OciIndex;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A site image written as an archive (no registry, no daemon): its index with every platform, which
 * podman, skopeo and containerd load by the index digest (each taking its own platform, or all of
 * them when asked), plus Docker's manifest.json for the first platform. What {@code tinystatic bake
 * --to oci-archive:PATH} writes.
 */
public final class ImageArchive {

  private ImageArchive() {}

  /**
   * Writes {@code image} to {@code tar} named {@code reference}.
   *
   * @param pullRepository the repository the image will be run from (for its pull reference)
   */
  public static BakedImage write(SiteImage image, Path tar, String reference, String pullRepository)
      throws IOException {
    OciIndex index = image.index();
    OciArchive.write(index, tar, reference);
    return baked(image, index, reference.replaceFirst(":[^:/]*$", ""), pullRepository);
  }

  /**
   * What baking {@code image} into {@code repository} gives, without writing or pushing it: how
   * {@code render} learns the digest the operator will push.
   */
  public static BakedImage preview(SiteImage image, String repository, String pullRepository) {
    return baked(image, image.index(), repository, pullRepository);
  }

  private static BakedImage baked(
      SiteImage image, OciIndex index, String repository, String pullRepository) {
    return BakedImage.of(image.key(repository, pullRepository), index, pullRepository, false, 0);
  }
}
