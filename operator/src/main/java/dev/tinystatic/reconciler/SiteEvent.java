package dev.tinystatic.reconciler;

/**
 * A Kubernetes Event to record on a site, so that {@code kubectl describe} tells what happened.
 *
 * @param warning a Warning (a problem) rather than a Normal event
 * @param reason a CamelCase word, the condition's reason
 * @param message what happened, for people
 */
record SiteEvent(boolean warning, String reason, String message) {}
