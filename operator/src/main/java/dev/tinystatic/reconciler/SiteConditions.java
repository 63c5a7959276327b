package dev.tinystatic.reconciler;

import java.util.Set;

/** The site's condition types and the reasons its Ready condition gives. */
final class SiteConditions {

  /** The content is valid and stored where the pods read it from. */
  static final String CONTENT_READY = "ContentReady";

  /** The site's pods serve the current content. */
  static final String READY = "Ready";

  /**
   * Set while the site has spec.ingress or spec.gateway: whether its host is routed yet (the
   * Ingress has an address, a Gateway accepted the route). Not part of Ready.
   */
  static final String ROUTED = "Routed";

  static final String ADDRESS_ASSIGNED = "AddressAssigned";
  static final String NO_ADDRESS = "NoAddress";
  static final String ROUTE_ACCEPTED = "Accepted";
  static final String ROUTE_NOT_ACCEPTED = "NotAccepted";

  /** ContentReady: the files are valid (the other reasons are {@code ContentProblem}'s). */
  static final String VALID = "Valid";

  // Ready=True
  static final String AVAILABLE = "Available";
  static final String SCALED_TO_ZERO = "ScaledToZero";

  // Ready=False, on the way
  static final String CREATING = "Creating";
  static final String ROLLING_OUT = "RollingOut";
  static final String BAKING = "Baking";

  // Ready=False, a problem (besides the content's own reasons)
  static final String ROLLOUT_STUCK = "RolloutStuck";
  static final String NAME_CONFLICT = "NameConflict";
  static final String APPLY_FAILED = "ApplyFailed";
  static final String IMAGE_PUSH_FAILED = "ImagePushFailed";
  static final String IMAGE_DELIVERY_UNAVAILABLE = "ImageDeliveryUnavailable";
  static final String RECONCILE_ERROR = "ReconcileError";
  static final String GATEWAY_API_MISSING = "GatewayApiMissing";
  static final String REVISION_NOT_FOUND = "RevisionNotFound";

  // Warning event of the registry clean-up (no condition: the site serves meanwhile)
  static final String REGISTRY_DELETES_DISABLED = "RegistryDeletesDisabled";

  // Warning event of a deleted site whose images the registry did not delete in time
  static final String IMAGE_CLEANUP_FAILED = "ImageCleanupFailed";

  /** Reasons of a site on its way to Ready: no Warning for them. */
  static final Set<String> PROGRESS = Set.of(CREATING, ROLLING_OUT, BAKING);

  private SiteConditions() {}
}
