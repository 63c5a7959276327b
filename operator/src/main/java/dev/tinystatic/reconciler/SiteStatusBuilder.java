package dev.tinystatic.reconciler;

import dev.tinystatic.api.RetiredImage;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.SiteRevision;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteStatus;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.delivery.DeliveryPlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the status one reconciliation reports, from the status the site has. What is not reported
 * again is carried over: the content and image last served stay named while new content cannot be
 * served, and a condition not set (ContentReady when the API server refuses an object) stays. A
 * condition keeps its lastTransitionTime while its status stays. {@link #build()} tells whether the
 * status changed (nothing to write otherwise) and which events the change is worth.
 */
final class SiteStatusBuilder {

  private final TinyStaticSiteStatus previous;
  private final TinyStaticSiteStatus status = new TinyStaticSiteStatus();
  private final Map<String, Condition> conditions = new LinkedHashMap<>();
  private final long generation;
  private final String selector;
  private final Clock clock;

  SiteStatusBuilder(TinyStaticSite site, Clock clock) {
    this.previous = site.getStatus();
    this.selector = SiteObjects.podSelector(site);
    this.generation = Optional.ofNullable(site.getMetadata().getGeneration()).orElse(0L);
    this.clock = clock;
    if (previous != null) {
      status.setContentHash(previous.getContentHash());
      status.setContentBytes(previous.getContentBytes());
      status.setFiles(previous.getFiles());
      status.setDelivery(previous.getDelivery());
      status.setImage(previous.getImage());
      status.setImageBytes(previous.getImageBytes());
      status.setUrl(previous.getUrl());
      status.setReplicas(previous.getReplicas());
      status.setReadyReplicas(previous.getReadyReplicas());
      status.setSelector(previous.getSelector());
      status.setLiveRevision(previous.getLiveRevision());
      status.setPendingRevision(previous.getPendingRevision());
      status.setRevisions(previous.getRevisions());
      status.setRetiredImages(previous.getRetiredImages());
      status.setRegistryCleanup(previous.getRegistryCleanup());
      conditions(previous).forEach(c -> conditions.put(c.getType(), c));
    }
    status.setObservedGeneration(generation);
  }

  /** The content is valid: ContentReady=True, with its size and hash. */
  SiteStatusBuilder validContent(SiteContent content) {
    return condition(
        SiteConditions.CONTENT_READY,
        true,
        SiteConditions.VALID,
        String.format(
            "%d files, %,d bytes, %s",
            content.count(), content.totalBytes(), Rollout.shortHash(content.hash())));
  }

  /**
   * The content cannot be served: ContentReady and Ready are False for the same reason.
   *
   * @param podsServing whether pods keep serving the previous content
   */
  SiteStatusBuilder invalidContent(String reason, String message, boolean podsServing) {
    condition(SiteConditions.CONTENT_READY, false, reason, message);
    return condition(
        SiteConditions.READY,
        false,
        reason,
        message + (podsServing ? "; the pods keep serving the previous content" : ""));
  }

  /** What the pods serve: the plan's content, delivery and image, at {@code url}. */
  SiteStatusBuilder serving(DeliveryPlan plan, String url) {
    SiteContent content = plan.content();
    status.setContentHash(content.hash());
    status.setContentBytes(content.totalBytes());
    status.setFiles(content.count());
    status.setDelivery(plan.revision().delivery());
    status.setImage(plan.revision().baked().map(b -> b.pullReference()).orElse(null));
    status.setImageBytes(plan.revision().baked().map(b -> b.bytes()).orElse(null));
    status.setUrl(url);
    return this;
  }

  /** Ready from how far the Deployment has rolled the content out. */
  SiteStatusBuilder rollout(Rollout rollout) {
    return condition(SiteConditions.READY, rollout.complete(), rollout.reason(), rollout.message());
  }

  /**
   * Ready=False for a reason that is not the content's: its delivery is on the way or failing, the
   * API server refused an object, or the reconciliation failed.
   */
  SiteStatusBuilder notReady(String reason, String message) {
    return condition(SiteConditions.READY, false, reason, message);
  }

  /** Routed: whether the site's host is routed yet (spec.ingress, spec.gateway). */
  SiteStatusBuilder routed(boolean ok, String reason, String message) {
    return condition(SiteConditions.ROUTED, ok, reason, message);
  }

  /** No Routed condition: the site has no host of its own. */
  SiteStatusBuilder notRouted() {
    conditions.remove(SiteConditions.ROUTED);
    return this;
  }

  /**
   * Atomic rollout: the revision visitors get, the one starting beside it, and the revisions that
   * went live (newest first).
   */
  SiteStatusBuilder revisions(
      Optional<String> live, Optional<String> pending, List<SiteRevision> history) {
    status.setLiveRevision(live.orElse(null));
    status.setPendingRevision(pending.orElse(null));
    status.setRevisions(history.isEmpty() ? null : history);
    return this;
  }

  /** Image delivery: images waiting for deletion, and why deletes do not happen, if they don't. */
  SiteStatusBuilder retiredImages(List<RetiredImage> retired, String cleanupNote) {
    status.setRetiredImages(retired.isEmpty() ? null : List.copyOf(retired));
    status.setRegistryCleanup(cleanupNote);
    return this;
  }

  SiteStatusBuilder replicas(int wanted, int ready) {
    status.setSelector(selector);
    status.setReplicas(wanted);
    status.setReadyReplicas(ready);
    return this;
  }

  /** The status to write, if it changed, and the events its Ready transition is worth. */
  Update build() {
    status.setConditions(new ArrayList<>(conditions.values()));
    if (status.equals(previous)) {
      return new Update(Optional.empty(), List.of());
    }
    return new Update(Optional.of(status), events());
  }

  /**
   * @param status the new status, when it differs from the site's
   * @param events Normal when the site becomes Available, Warning when a problem appears (a new
   *     reason)
   */
  record Update(Optional<TinyStaticSiteStatus> status, List<SiteEvent> events) {}

  /** Events on a Ready transition: a status or reason that changes, not a message alone. */
  private List<SiteEvent> events() {
    Condition after = conditions.get(SiteConditions.READY);
    if (after == null) {
      return List.of();
    }
    Optional<Condition> before =
        Optional.ofNullable(previous)
            .flatMap(
                p ->
                    conditions(p).stream()
                        .filter(c -> SiteConditions.READY.equals(c.getType()))
                        .findFirst());
    boolean turned =
        before
            .map(
                b ->
                    !Objects.equals(b.getStatus(), after.getStatus())
                        || !Objects.equals(b.getReason(), after.getReason()))
            .orElse(true);
    if (!turned) {
      return List.of();
    }
    if (isTrue(after)) {
      // Serving, not parked: a site scaled to zero is the user's own doing, and says so in status.
      return SiteConditions.AVAILABLE.equals(after.getReason())
          ? List.of(new SiteEvent(false, after.getReason(), after.getMessage()))
          : List.of();
    }
    return SiteConditions.PROGRESS.contains(after.getReason())
        ? List.of()
        : List.of(new SiteEvent(true, after.getReason(), after.getMessage()));
  }

  private SiteStatusBuilder condition(String type, boolean ok, String reason, String message) {
    String statusText = ok ? "True" : "False";
    String since =
        Optional.ofNullable(conditions.get(type))
            .filter(c -> statusText.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    conditions.put(
        type,
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(since)
            .build());
    return this;
  }

  private static List<Condition> conditions(TinyStaticSiteStatus status) {
    return status.getConditions() == null ? List.of() : status.getConditions();
  }

  private static boolean isTrue(Condition condition) {
    return "True".equals(condition.getStatus());
  }
}
