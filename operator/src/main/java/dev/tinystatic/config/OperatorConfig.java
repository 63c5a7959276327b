package dev.tinystatic.config;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The operator's configuration, read from environment variables (see README, "Configuration").
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param serverImage the generic server image of ConfigMap delivery
 * @param serverSideApply whether to write with server-side apply (off only for test API servers
 *     that cannot do it)
 * @param leaderElection whether to elect a leader, so that several replicas can run
 * @param namespace the operator's own namespace (leader election Lease, registry Secret), or null
 *     for the one of the current kubeconfig or pod
 * @param healthPort port of the /healthz, /readyz and /metrics endpoints (0: none)
 * @param registry where Image delivery pushes, when configured
 * @param imagePullSecrets Secrets (in each site's namespace) put on every site pod to pull its
 *     image, from a private registry
 * @param reconcileThreads sites reconciled at once
 * @param imageCleanupTimeout how long a deleted site waits for a failing registry to delete its
 *     images before it goes anyway, leaving them
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    String serverImage,
    boolean serverSideApply,
    boolean leaderElection,
    String namespace,
    int healthPort,
    Optional<RegistryConfig> registry,
    List<String> imagePullSecrets,
    int reconcileThreads,
    Duration imageCleanupTimeout) {

  public static final String WATCH_NAMESPACES = "TINYSTATIC_WATCH_NAMESPACES";
  public static final String SERVER_IMAGE = "TINYSTATIC_SERVER_IMAGE";
  public static final String SERVER_SIDE_APPLY = "TINYSTATIC_SERVER_SIDE_APPLY";
  public static final String LEADER_ELECTION = "TINYSTATIC_LEADER_ELECTION";
  public static final String NAMESPACE = "TINYSTATIC_NAMESPACE";
  public static final String HEALTH_PORT = "TINYSTATIC_HEALTH_PORT";
  public static final String REGISTRY = "TINYSTATIC_REGISTRY";
  public static final String REGISTRY_PULL_PREFIX = "TINYSTATIC_REGISTRY_PULL_PREFIX";
  public static final String REGISTRY_INSECURE = "TINYSTATIC_REGISTRY_INSECURE";
  public static final String REGISTRY_SECRET = "TINYSTATIC_REGISTRY_SECRET";
  public static final String IMAGE_PULL_SECRETS = "TINYSTATIC_IMAGE_PULL_SECRETS";
  public static final String RECONCILE_THREADS = "TINYSTATIC_RECONCILE_THREADS";
  public static final String IMAGE_CLEANUP_TIMEOUT_SECONDS =
      "TINYSTATIC_IMAGE_CLEANUP_TIMEOUT_SECONDS";

  public static final String LEASE_NAME = "tinystatic-operator";
  static final int DEFAULT_HEALTH_PORT = 8081;

  /**
   * Each reconciliation mostly waits for the API server, a few requests in a row; JOSDK's default.
   */
  static final int DEFAULT_RECONCILE_THREADS = 50;

  /** Long enough to ride out a registry restart, short enough that nobody waits on a dead one. */
  static final int DEFAULT_IMAGE_CLEANUP_TIMEOUT_SECONDS = 120;

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
    imagePullSecrets = List.copyOf(imagePullSecrets);
  }

  public static OperatorConfig fromEnvironment() {
    return from(System.getenv());
  }

  /** Reads the configuration from {@code env}, failing with a clear message on a bad value. */
  public static OperatorConfig from(Map<String, String> env) {
    return new OperatorConfig(
        namespaces(env.getOrDefault(WATCH_NAMESPACES, "")),
        nonBlank(env.get(SERVER_IMAGE)).orElseGet(OperatorConfig::defaultServerImage),
        bool(env, SERVER_SIDE_APPLY, true),
        bool(env, LEADER_ELECTION, false),
        nonBlank(env.get(NAMESPACE)).orElse(null),
        port(env, HEALTH_PORT, DEFAULT_HEALTH_PORT),
        registry(env),
        names(env, IMAGE_PULL_SECRETS),
        positive(env, RECONCILE_THREADS, DEFAULT_RECONCILE_THREADS),
        Duration.ofSeconds(
            positive(env, IMAGE_CLEANUP_TIMEOUT_SECONDS, DEFAULT_IMAGE_CLEANUP_TIMEOUT_SECONDS)));
  }

  private static Optional<RegistryConfig> registry(Map<String, String> env) {
    Optional<String> prefix = nonBlank(env.get(REGISTRY));
    for (String dependent : List.of(REGISTRY_PULL_PREFIX, REGISTRY_INSECURE, REGISTRY_SECRET)) {
      if (prefix.isEmpty() && nonBlank(env.get(dependent)).isPresent()) {
        throw new ConfigException(dependent + " is set but " + REGISTRY + " is not");
      }
    }
    return prefix.map(
        p -> {
          if (p.contains("://")) {
            throw new ConfigException(
                REGISTRY
                    + ": give host[:port]/path without a scheme, e.g. registry.example:5000/sites;"
                    + " plain HTTP is "
                    + REGISTRY_INSECURE
                    + "=true");
          }
          if (!p.contains("/")) {
            throw new ConfigException(
                REGISTRY
                    + ": '"
                    + p
                    + "' needs a repository path after the host, e.g. "
                    + p
                    + "/sites");
          }
          return new RegistryConfig(
              p,
              nonBlank(env.get(REGISTRY_PULL_PREFIX)),
              bool(env, REGISTRY_INSECURE, false),
              nonBlank(env.get(REGISTRY_SECRET)));
        });
  }

  private static List<String> names(Map<String, String> env, String variable) {
    return java.util.Arrays.stream(env.getOrDefault(variable, "").split(","))
        .map(String::strip)
        .filter(name -> !name.isEmpty())
        .toList();
  }

  /** This configuration with server-side apply switched as given (test API servers lack it). */
  public OperatorConfig withServerSideApply(boolean enabled) {
    return new OperatorConfig(
        watchNamespaces,
        serverImage,
        enabled,
        leaderElection,
        namespace,
        healthPort,
        registry,
        imagePullSecrets,
        reconcileThreads,
        imageCleanupTimeout);
  }

  /** This configuration with another image clean-up timeout (tests wait seconds, not minutes). */
  public OperatorConfig withImageCleanupTimeout(Duration timeout) {
    return new OperatorConfig(
        watchNamespaces,
        serverImage,
        serverSideApply,
        leaderElection,
        namespace,
        healthPort,
        registry,
        imagePullSecrets,
        reconcileThreads,
        timeout);
  }

  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  /** The server image built together with this operator (recorded by the server module). */
  public static String defaultServerImage() {
    try (InputStream in =
        OperatorConfig.class.getResourceAsStream("/tinystatic/server/image.properties")) {
      if (in == null) {
        throw new ConfigException(
            "the server module's image.properties is not on the classpath; set " + SERVER_IMAGE);
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("image");
    } catch (IOException e) {
      throw new ConfigException("cannot read the default server image: " + e.getMessage());
    }
  }

  private static Set<String> namespaces(String value) {
    Set<String> namespaces = new LinkedHashSet<>();
    for (String name : value.split(",")) {
      String trimmed = name.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!trimmed.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new ConfigException(
            WATCH_NAMESPACES + ": '" + trimmed + "' is not a valid namespace name");
      }
      namespaces.add(trimmed);
    }
    return namespaces;
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    String value = nonBlank(env.get(name)).orElse(null);
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase()) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new ConfigException(name + ": expected true or false, got '" + value + "'");
    };
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    String value = nonBlank(env.get(name)).orElse(null);
    if (value == null) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + ": expected a port 0-65535, got '" + value + "'");
    }
  }

  private static int positive(Map<String, String> env, String name, int fallback) {
    String value = nonBlank(env.get(name)).orElse(null);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value);
      if (number < 1) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new ConfigException(name + ": expected a number of at least 1, got '" + value + "'");
    }
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  @Override
  public String toString() {
    return "namespaces="
        + (watchesAllNamespaces() ? "all" : String.join(",", watchNamespaces))
        + " serverImage="
        + serverImage
        + " serverSideApply="
        + serverSideApply
        + " leaderElection="
        + leaderElection
        + " healthPort="
        + healthPort
        + " registry="
        + registry.map(r -> r.pushPrefix() + (r.insecure() ? " (insecure)" : "")).orElse("none")
        + " reconcileThreads="
        + reconcileThreads
        + " imageCleanupTimeout="
        + imageCleanupTimeout.toSeconds()
        + "s";
  }
}
