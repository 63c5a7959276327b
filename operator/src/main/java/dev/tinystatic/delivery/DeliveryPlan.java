package dev.tinystatic.delivery;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.server.ServerImage;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Optional;

/**
 * What the reconciler decided for one reconciliation, handed to the dependents that build the
 * desired objects from it: the validated content and how it reaches the pod.
 *
 * @param content the site's validated files and their hash
 * @param delivery the delivery in effect
 * @param image the image the server container runs
 * @param volumes the pod's volumes (none for Image delivery)
 * @param mounts the server container's mounts of those volumes
 * @param imagePullSecrets Secrets the pod pulls its image with
 * @param baked Image delivery: the baked image the pod runs
 */
public record DeliveryPlan(
    SiteContent content,
    Delivery delivery,
    String image,
    List<Volume> volumes,
    List<VolumeMount> mounts,
    List<String> imagePullSecrets,
    Optional<BakedImage> baked) {

  public DeliveryPlan {
    volumes = List.copyOf(volumes);
    mounts = List.copyOf(mounts);
    imagePullSecrets = List.copyOf(imagePullSecrets);
  }

  /** Where the server finds the site's files, in the generic image and in baked images alike. */
  public static final String DOCROOT = ServerImage.DOCROOT;

  public void storeIn(Context<?> context) {
    context.managedWorkflowAndDependentResourceContext().put(DeliveryPlan.class, this);
  }

  public static DeliveryPlan from(Context<?> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(DeliveryPlan.class, DeliveryPlan.class);
  }
}
