package dev.tinystatic.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The API server refused one of the site's objects (e.g. a node port already taken, or an object
 * of the same name that the site does not own). Thrown so the controller retries with backoff.
 */
final class ApplyFailure extends RuntimeException {

  private final String reason;

  private ApplyFailure(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }

  /** The ApplyFailure behind {@code error}, however deeply wrapped. */
  static java.util.Optional<ApplyFailure> find(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ApplyFailure failure) {
        return java.util.Optional.of(failure);
      }
    }
    return java.util.Optional.empty();
  }

  static ApplyFailure of(Map<DependentResource, Exception> errors) {
    var first = errors.entrySet().iterator().next();
    KubernetesClientException refusal = findRefusal(first.getValue());
    boolean nameTaken =
        errors.values().stream()
            .map(ApplyFailure::findRefusal)
            .anyMatch(ApplyFailure::alreadyExists);
    String message =
        errors.entrySet().stream()
            .map(e -> describe(e.getKey(), e.getValue(), nameTaken))
            .collect(Collectors.joining("; "));
    return new ApplyFailure(nameTaken ? "NameConflict" : "ApplyFailed", message, refusal != null ? refusal : first.getValue());
  }

  private static String describe(DependentResource dependent, Exception error, boolean nameTaken) {
    String kind = dependent.resourceType().getSimpleName();
    KubernetesClientException refusal = findRefusal(error);
    if (refusal == null) {
      return "could not apply the " + kind + ": " + error.getMessage();
    }
    if (alreadyExists(refusal)) {
      return "a " + kind + " of the same name exists and is not owned by this site; rename the"
          + " site or remove that " + kind;
    }
    String detail =
        refusal.getStatus() != null && refusal.getStatus().getMessage() != null
            ? refusal.getStatus().getMessage()
            : refusal.getMessage();
    return "the API server refused the " + kind + " (HTTP " + refusal.getCode() + "): " + detail;
  }

  /** A create refused because the name is taken (not a 409 from a stale update). */
  private static boolean alreadyExists(KubernetesClientException e) {
    if (e == null || e.getCode() != 409) {
      return false;
    }
    String reason = e.getStatus() == null ? null : e.getStatus().getReason();
    return "AlreadyExists".equals(reason) || String.valueOf(e.getMessage()).contains("already exists");
  }

  private static KubernetesClientException findRefusal(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        return k;
      }
    }
    return null;
  }
}
