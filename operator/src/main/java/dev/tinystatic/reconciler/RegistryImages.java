package dev.tinystatic.reconciler;

import com.google.cloud.tools.jib.api.Credential;
import dev.tinystatic.api.RetiredImage;
import dev.tinystatic.api.SiteRevision;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteStatus;
import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.image.RegistryCleanup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Image delivery's clean-up: which of a site's images the registry no longer needs to hold, and
 * their deletion (manifest DELETE by digest, {@link RegistryCleanup}). An image leaves {@code
 * status.revisions} when newer revisions push it out ({@code spec.rollout.keepRevisions}); it is
 * deleted {@code spec.rollout.imageGraceSeconds} later. A deleted site's images are deleted before
 * its finalizer goes. A registry that refuses deletes is said once, not retried.
 */
final class RegistryImages {

  /** What deleting some images came to. */
  sealed interface Result {}

  /** Deleted, or gone already. */
  record Done() implements Result {}

  /** The registry does not allow deletes: not worth retrying. */
  record Disabled(String message) implements Result {}

  /** The registry failed (down, refusing credentials): worth retrying. */
  record Failed(String message) implements Result {}

  private final Optional<RegistryConfig> registry;
  private final Supplier<Optional<Credential>> credentials;

  RegistryImages(Optional<RegistryConfig> registry, Supplier<Optional<Credential>> credentials) {
    this.registry = registry;
    this.credentials = credentials;
  }

  /** Images that were in the history and are not any more, nor used by a kept revision. */
  static List<String> dropped(List<SiteRevision> before, List<SiteRevision> after) {
    Set<String> kept = images(after);
    return images(before).stream().filter(image -> !kept.contains(image)).toList();
  }

  /** Every image the site's status names: its revisions', and the one it serves. */
  static Set<String> all(TinyStaticSiteStatus status) {
    Set<String> images = new LinkedHashSet<>();
    if (status == null) {
      return images;
    }
    Optional.ofNullable(status.getRevisions()).ifPresent(r -> images.addAll(images(r)));
    Optional.ofNullable(status.getImage()).ifPresent(images::add);
    Optional.ofNullable(status.getRetiredImages()).stream()
        .flatMap(List::stream)
        .map(RetiredImage::getImage)
        .forEach(images::add);
    return images;
  }

  /** The retired images whose grace period is over. */
  static List<RetiredImage> due(List<RetiredImage> retired, Instant now) {
    return retired.stream().filter(r -> !Instant.parse(r.getDeleteAfter()).isAfter(now)).toList();
  }

  /** When the next retired image is due, if one is waiting. */
  static Optional<Duration> nextIn(List<RetiredImage> retired, Instant now) {
    return retired.stream()
        .map(r -> Instant.parse(r.getDeleteAfter()))
        .filter(at -> at.isAfter(now))
        .min(Instant::compareTo)
        .map(at -> Duration.between(now, at).plusSeconds(1));
  }

  boolean configured() {
    return registry.isPresent();
  }

  /**
   * Deletes {@code images} (pull references by digest) from the site's repository.
   *
   * @return Done when all are gone; otherwise the first refusal or failure
   */
  Result delete(TinyStaticSite site, Collection<String> images) {
    if (registry.isEmpty() || images.isEmpty()) {
      return new Done();
    }
    RegistryConfig config = registry.get();
    String repository =
        config.pushRepository(site.getMetadata().getNamespace(), site.getMetadata().getName());
    var cleanup = new RegistryCleanup(config);
    List<String> failures = new ArrayList<>();
    try {
      Optional<Credential> credential = credentials.get();
      for (String image : images) {
        String digest = image.substring(image.lastIndexOf('@') + 1);
        var outcome = cleanup.delete(repository, digest, credential);
        if (outcome instanceof RegistryCleanup.DeletesDisabled disabled) {
          return new Disabled(disabled.message());
        }
      }
    } catch (RegistryCleanup.CleanupException | RuntimeException e) {
      failures.add(String.valueOf(e.getMessage()));
    }
    return failures.isEmpty() ? new Done() : new Failed(String.join("; ", failures));
  }

  private static Set<String> images(List<SiteRevision> revisions) {
    Set<String> images = new LinkedHashSet<>();
    revisions.stream()
        .map(SiteRevision::getImage)
        .filter(image -> image != null && image.contains("@"))
        .forEach(images::add);
    return images;
  }
}
