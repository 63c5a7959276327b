package dev.tinystatic.reconciler;

import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import java.util.Map;
import java.util.Optional;

/**
 * The API server refused one of the site's objects (e.g. a node port already taken, or an object of
 * the same name that the site does not own). Thrown so the controller retries with backoff.
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
  static Optional<ApplyFailure> find(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ApplyFailure failure) {
        return Optional.of(failure);
      }
    }
    return Optional.empty();
  }

  /**
   * What went wrong with the site's objects. A 409 is looked into: an object of the same name that
   * the site does not own is a name conflict, whichever way the API server words it (a plain create
   * says AlreadyExists, a server-side apply create a resourceVersion Conflict).
   */
  static ApplyFailure of(
      Map<DependentResource, Exception> errors, TinyStaticSite site, KubernetesClient client) {
    boolean nameTaken = false;
    StringBuilder message = new StringBuilder();
    Throwable cause = null;
    for (var error : errors.entrySet()) {
      Class<? extends HasMetadata> type = error.getKey().resourceType();
      KubernetesClientException refusal = findRefusal(error.getValue());
      boolean taken =
          refusal != null && refusal.getCode() == 409 && takenByAnother(type, site, client);
      nameTaken |= taken;
      if (cause == null) {
        cause = refusal != null ? refusal : error.getValue();
      }
      message
          .append(message.length() == 0 ? "" : "; ")
          .append(taken ? nameConflict(type, site) : describe(type, error.getValue(), refusal));
    }
    return new ApplyFailure(
        nameTaken ? SiteConditions.NAME_CONFLICT : SiteConditions.APPLY_FAILED,
        message.toString(),
        cause);
  }

  private static boolean takenByAnother(
      Class<? extends HasMetadata> type, TinyStaticSite site, KubernetesClient client) {
    HasMetadata existing =
        client
            .resources(type)
            .inNamespace(site.getMetadata().getNamespace())
            .withName(SiteObjects.nameOf(type, site))
            .get();
    return existing != null
        && existing.getMetadata().getOwnerReferences().stream()
            .noneMatch(owner -> site.getMetadata().getUid().equals(owner.getUid()));
  }

  private static String nameConflict(Class<? extends HasMetadata> type, TinyStaticSite site) {
    String kind = type.getSimpleName();
    return "a "
        + kind
        + " named "
        + SiteObjects.nameOf(type, site)
        + " exists and is not owned by"
        + " this site; rename the site or remove that "
        + kind;
  }

  private static String describe(
      Class<? extends HasMetadata> type, Exception error, KubernetesClientException refusal) {
    String kind = type.getSimpleName();
    if (refusal == null) {
      return "could not apply the " + kind + ": " + error.getMessage();
    }
    String detail =
        refusal.getStatus() != null && refusal.getStatus().getMessage() != null
            ? refusal.getStatus().getMessage()
            : refusal.getMessage();
    return "the API server refused the " + kind + " (HTTP " + refusal.getCode() + "): " + detail;
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
