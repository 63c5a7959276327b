package dev.tinystatic.reconciler;

import java.time.Duration;
import java.util.Optional;

/**
 * Why valid content does not reach the pods yet: a CamelCase reason for the Ready condition and
 * events, a message that says what is wrong (or happening), and when to look again.
 */
final class DeliveryProblem extends Exception {

  private final String reason;
  private final transient Optional<Duration> retryAfter;

  /**
   * @param retryAfter when to reconcile again; empty when an event will come (a bake ending)
   */
  DeliveryProblem(String reason, String message, Optional<Duration> retryAfter) {
    super(message, null, false, false);
    this.reason = reason;
    this.retryAfter = retryAfter;
  }

  /** This problem, its message followed by {@code note} (what happens meanwhile). */
  DeliveryProblem meanwhile(String note) {
    return note.isEmpty() ? this : new DeliveryProblem(reason, getMessage() + note, retryAfter);
  }

  String reason() {
    return reason;
  }

  Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
