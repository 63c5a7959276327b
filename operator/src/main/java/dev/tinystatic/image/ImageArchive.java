package dev.tinystatic.image;

import dev.tinystatic.server.OciArchive;
import dev.tinystatic.server.OciImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A site image written as an archive (no registry, no daemon) that podman, skopeo, containerd and
 * docker load: what {@code tinystatic bake --to oci-archive:PATH} writes.
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
    OciImage oci = image.oci();
    OciArchive.write(oci, tar, reference);
    return baked(image, oci, reference.replaceFirst(":[^:/]*$", ""), pullRepository);
  }

  /**
   * What baking {@code image} into {@code repository} gives, without writing or pushing it: how
   * {@code render} learns the digest the operator will push.
   */
  public static BakedImage preview(SiteImage image, String repository, String pullRepository) {
    return baked(image, image.oci(), repository, pullRepository);
  }

  private static BakedImage baked(
      SiteImage image, OciImage oci, String repository, String pullRepository) {
    String digest = oci.digest().toString();
    return new BakedImage(
        image.key(repository, pullRepository),
        digest,
        pullRepository + "@" + digest,
        oci.size(),
        oci.layerSizes(),
        false);
  }
}
