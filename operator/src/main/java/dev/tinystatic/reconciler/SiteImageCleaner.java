package dev.tinystatic.reconciler;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.delivery.DeliveryPlanner;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a deleted site's images from the registry before the site goes.
 *
 * <p>A controller of its own, beside {@link TinyStaticSiteReconciler}, so that only the sites that
 * have images carry its finalizer ({@link SiteObjects#FINALIZER}): JOSDK puts a Cleaner's finalizer
 * on every site its controller sees, and {@link #concerns} lets it see only sites with Image
 * delivery (or the finalizer already). A ConfigMap site never gets a finalizer, so it costs no
 * write and is never stuck when the operator is gone. It is registered only when the operator has a
 * registry. It writes nothing but the finalizer and, on a failure, a Warning event.
 */
@ControllerConfiguration(name = SiteImageCleaner.NAME, finalizerName = SiteObjects.FINALIZER)
public class SiteImageCleaner implements Reconciler<TinyStaticSite>, Cleaner<TinyStaticSite> {

  public static final String NAME = "tinystaticsite-images";

  /** The longest pause between tries of a failing registry. */
  static final Duration MAX_RETRY = TinyStaticSiteReconciler.IMAGE_DELETE_RETRY;

  private static final Logger log = LoggerFactory.getLogger(SiteImageCleaner.class);

  private final OperatorConfig config;
  private final RegistryImages registryImages;
  private final SiteEvents events;
  private final Clock clock;

  public SiteImageCleaner(OperatorConfig config, KubernetesClient client) {
    this(config, client, Clock.systemUTC());
  }

  SiteImageCleaner(OperatorConfig config, KubernetesClient client, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.events = new SiteEvents(clock);
    this.registryImages =
        new RegistryImages(config.registry(), RegistrySecret.credentials(config, client));
  }

  /** The sites this controller watches: those delivered as an image, or holding its finalizer. */
  public static boolean concerns(TinyStaticSite site, OperatorConfig config) {
    return site.hasFinalizer(SiteObjects.FINALIZER)
        || DeliveryPlanner.deliveryOf(site.getSpec(), config) == Delivery.Image;
  }

  /** Nothing to do while the site lives (JOSDK has added the finalizer before this runs). */
  @Override
  public UpdateControl<TinyStaticSite> reconcile(
      TinyStaticSite site, Context<TinyStaticSite> context) {
    return UpdateControl.noUpdate();
  }

  /**
   * Deletes every image the site's status names before its finalizer goes. A registry that fails is
   * retried, with growing pauses, until the operator's image clean-up timeout after the deletion;
   * then the site goes anyway and a Warning names the images left. A registry refusing deletes gets
   * a Warning and the site goes at once. The site's objects go with it (owner references).
   */
  @Override
  public DeleteControl cleanup(TinyStaticSite site, Context<TinyStaticSite> context) {
    var images = RegistryImages.all(site.getStatus());
    if (images.isEmpty() || !registryImages.configured()) {
      return DeleteControl.defaultDelete();
    }
    var result = registryImages.delete(site, images);
    if (result instanceof RegistryImages.Done) {
      log.info(
          "site {}/{} is deleted; deleted its {} image(s) from the registry",
          site.getMetadata().getNamespace(),
          site.getMetadata().getName(),
          images.size());
    } else if (result instanceof RegistryImages.Disabled disabled) {
      events.record(
          context.getClient(),
          site,
          new SiteEvent(
              true,
              SiteConditions.REGISTRY_DELETES_DISABLED,
              disabled.message() + "; left " + String.join(", ", images)));
    } else if (result instanceof RegistryImages.Failed failed) {
      Instant deleted = Instant.parse(site.getMetadata().getDeletionTimestamp());
      Duration waited = Duration.between(deleted, Instant.now(clock));
      Duration left = config.imageCleanupTimeout().minus(waited);
      if (!left.isNegative() && !left.isZero()) {
        log.info(
            "site {}/{} is deleted; deleting its images failed, retrying: {}",
            site.getMetadata().getNamespace(),
            site.getMetadata().getName(),
            failed.message());
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(retryIn(waited, left));
      }
      events.record(
          context.getClient(),
          site,
          new SiteEvent(
              true,
              SiteConditions.IMAGE_CLEANUP_FAILED,
              "gave up deleting the site's images after "
                  + config.imageCleanupTimeout().toSeconds()
                  + " s ("
                  + failed.message()
                  + "); left in the registry (unless deleted before the failure): "
                  + String.join(", ", images)));
    }
    return DeleteControl.defaultDelete();
  }

  /** Backs off: half the time waited so far (1 s to 30 s), never past the time limit. */
  static Duration retryIn(Duration waited, Duration left) {
    Duration pause = waited.dividedBy(2);
    pause = pause.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : pause;
    pause = pause.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : pause;
    return pause.compareTo(left) > 0 ? left : pause;
  }
}
