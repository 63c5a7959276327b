package dev.tinystatic.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
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
 * @param leaseNamespace where the leader election Lease lives
 * @param healthPort port of the /healthz and /readyz endpoints (0: none)
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    String serverImage,
    boolean serverSideApply,
    boolean leaderElection,
    String leaseNamespace,
    int healthPort) {

  public static final String WATCH_NAMESPACES = "TINYSTATIC_WATCH_NAMESPACES";
  public static final String SERVER_IMAGE = "TINYSTATIC_SERVER_IMAGE";
  public static final String SERVER_SIDE_APPLY = "TINYSTATIC_SERVER_SIDE_APPLY";
  public static final String LEADER_ELECTION = "TINYSTATIC_LEADER_ELECTION";
  public static final String NAMESPACE = "TINYSTATIC_NAMESPACE";
  public static final String HEALTH_PORT = "TINYSTATIC_HEALTH_PORT";

  public static final String LEASE_NAME = "tinystatic-operator";
  static final int DEFAULT_HEALTH_PORT = 8081;

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
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
        port(env, HEALTH_PORT, DEFAULT_HEALTH_PORT));
  }

  /** This configuration with server-side apply switched as given (test API servers lack it). */
  public OperatorConfig withServerSideApply(boolean enabled) {
    return new OperatorConfig(
        watchNamespaces, serverImage, enabled, leaderElection, leaseNamespace, healthPort);
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

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank()
        ? Optional.empty()
        : Optional.of(value.strip());
  }

  @Override
  public String toString() {
    return "namespaces=" + (watchesAllNamespaces() ? "all" : String.join(",", watchNamespaces))
        + " serverImage=" + serverImage + " serverSideApply=" + serverSideApply
        + " leaderElection=" + leaderElection + " healthPort=" + healthPort;
  }
}
