package dev.tinystatic.api;

/** How a site's files reach its pods. */
public enum Delivery {
  /** The generic server image mounts the content ConfigMap read-only. Works on any cluster. */
  ConfigMap,
  /** The operator bakes a per-site image (server + files) and pushes it to its registry. */
  Image
}
