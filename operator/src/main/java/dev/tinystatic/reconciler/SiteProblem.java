package dev.tinystatic.reconciler;

import dev.tinystatic.content.ContentProblem;

/**
 * Why a site is not (fully) served: a CamelCase reason for conditions and events, a message that
 * says what to fix, and whether the content itself is at fault.
 */
final class SiteProblem extends Exception {

  private final String reason;
  private final boolean contentAtFault;

  private SiteProblem(String reason, String message, boolean contentAtFault) {
    super(message, null, false, false);
    this.reason = reason;
    this.contentAtFault = contentAtFault;
  }

  static SiteProblem of(ContentProblem problem) {
    return new SiteProblem(problem.reason(), problem.getMessage(), true);
  }

  static SiteProblem delivery(String reason, String message) {
    return new SiteProblem(reason, message, false);
  }

  String reason() {
    return reason;
  }

  boolean contentAtFault() {
    return contentAtFault;
  }
}
