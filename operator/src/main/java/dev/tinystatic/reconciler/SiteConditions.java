package dev.tinystatic.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The site's status conditions, written the Kubernetes way. */
final class SiteConditions {

  /** The content is valid and stored where the pods read it from. */
  static final String CONTENT_READY = "ContentReady";

  /** The site's pods serve the current content. */
  static final String READY = "Ready";

  private SiteConditions() {}

  /**
   * A condition for {@code generation}; it keeps the previous transition time while its status
   * stays the same, so an unchanged site gets an identical status (and no write).
   */
  static Condition condition(
      List<Condition> previous,
      String type,
      boolean status,
      String reason,
      String message,
      long generation,
      Clock clock) {
    String statusText = status ? "True" : "False";
    String since =
        find(previous, type)
            .filter(c -> statusText.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(statusText)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }

  static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static List<Condition> list(Condition... conditions) {
    return new ArrayList<>(List.of(conditions));
  }

  static boolean isTrue(Optional<Condition> condition) {
    return condition.map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
