package dev.tinystatic.delivery;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.server.ServerImage;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Optional;

/**
 * What a site's pods run: one content, named by its hash, and how it reaches them.
 *
 * @param contentHash the hash of the content the pods serve
 * @param delivery how it reaches them
 * @param image the image the server container runs
 * @param volumes the pod's volumes (none for Image delivery)
 * @param mounts the server container's mounts of those volumes
 * @param imagePullSecrets Secrets the pod pulls its image with
 * @param baked Image delivery: the baked image the pod runs
 * @param args the server's arguments; empty for Image delivery, whose image has them (so a pod kept
 *     on an older image runs it as it was baked)
 */
public record Revision(
    String contentHash,
    Delivery delivery,
    String image,
    List<Volume> volumes,
    List<VolumeMount> mounts,
    List<String> imagePullSecrets,
    Optional<BakedImage> baked,
    List<String> args) {

  /** Where the server finds the site's files, in the generic image and in baked images alike. */
  public static final String DOCROOT = ServerImage.DOCROOT;

  public Revision {
    volumes = List.copyOf(volumes);
    mounts = List.copyOf(mounts);
    imagePullSecrets = List.copyOf(imagePullSecrets);
    args = List.copyOf(args);
  }
}
