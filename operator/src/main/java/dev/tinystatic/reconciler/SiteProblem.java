package dev.tinystatic.reconciler;

import dev.tinystatic.content.ContentProblem;
import java.time.Duration;
import java.util.Optional;

/**
 * Why a site is not (fully) served yet: a CamelCase reason for conditions and events, a message
 * that says what is wrong (or happening), whether the content itself is at fault, and when to look
 * again.
 */
final class SiteProblem extends Exception {

  private final String reason;
  private final boolean contentAtFault;
  private final transient Optional<Duration> retryAfter;

  private SiteProblem(
      String reason, String message, boolean contentAtFault, Optional<Duration> retryAfter) {
    super(message, null, false, false);
    this.reason = reason;
    this.contentAtFault = contentAtFault;
    this.retryAfter = retryAfter;
  }

  static SiteProblem of(ContentProblem problem) {
    return new SiteProblem(problem.reason(), problem.getMessage(), true, Optional.empty());
  }

  /** The content is fine but cannot be delivered (yet); {@code retryAfter} says when to retry. */
  static SiteProblem delivery(String reason, String message, Optional<Duration> retryAfter) {
    return new SiteProblem(reason, message, false, retryAfter);
  }

  String reason() {
    return reason;
  }

  boolean contentAtFault() {
    return contentAtFault;
  }

  Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
