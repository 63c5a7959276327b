package dev.tinystatic.config;

import java.util.Optional;

/**
 * Where Image delivery pushes site images, and how pods pull them.
 *
 * @param pushPrefix repository prefix the operator pushes to, e.g. {@code
 *     registry.example:5000/sites}
 * @param pullPrefix the same registry as the nodes reach it (the kind/k3d local-registry pattern),
 *     or empty to pull from {@code pushPrefix}
 * @param insecure whether plain HTTP (and unverified TLS) is allowed; only when asked for
 * @param credentialsSecret a {@code kubernetes.io/dockerconfigjson} Secret in the operator's
 *     namespace holding push credentials, or empty for an open registry
 */
public record RegistryConfig(
    String pushPrefix,
    Optional<String> pullPrefix,
    boolean insecure,
    Optional<String> credentialsSecret) {

  public RegistryConfig {
    pushPrefix = stripSlashes(pushPrefix);
    pullPrefix = pullPrefix.map(RegistryConfig::stripSlashes);
  }

  /** The registry host (and port) of the push prefix, e.g. {@code registry.example:5000}. */
  public String registry() {
    int slash = pushPrefix.indexOf('/');
    return slash < 0 ? pushPrefix : pushPrefix.substring(0, slash);
  }

  /** The repository a site's image is pushed to. */
  public String pushRepository(String namespace, String site) {
    return pushPrefix + "/" + namespace + "/" + site;
  }

  /** The repository the site's pods pull from. */
  public String pullRepository(String namespace, String site) {
    return pullPrefix.orElse(pushPrefix) + "/" + namespace + "/" + site;
  }

  private static String stripSlashes(String value) {
    String stripped = value.strip();
    while (stripped.endsWith("/")) {
      stripped = stripped.substring(0, stripped.length() - 1);
    }
    return stripped;
  }
}
