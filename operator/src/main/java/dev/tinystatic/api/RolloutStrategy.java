package dev.tinystatic.api;

/** How new content replaces the old in front of visitors. */
public enum RolloutStrategy {
  /**
   * Blue/green per content revision: the new revision's pods all start beside the old ones, and the
   * Service moves to them in one step once they are all ready. A visitor who has seen the new
   * content never gets the old again.
   */
  Atomic,
  /** One Deployment rolled pod by pod: old and new content are both served while it rolls. */
  Rolling
}
