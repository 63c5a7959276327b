package dev.tinystatic.cli;

import dev.tinystatic.config.ConfigException;
import dev.tinystatic.config.OperatorConfig;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The operator's configuration, from its environment variables, with command-line overrides. */
final class RegistryOptions {

  @Option(
      names = "--registry",
      paramLabel = "HOST[:PORT]/PATH",
      description =
          "The operator's registry (default: $TINYSTATIC_REGISTRY); makes Image the default"
              + " delivery.")
  String registry;

  @Option(
      names = "--pull-prefix",
      paramLabel = "HOST[:PORT]/PATH",
      description =
          "The same registry as nodes name it (default: $TINYSTATIC_REGISTRY_PULL_PREFIX).")
  String pullPrefix;

  @Option(
      names = "--insecure",
      description = "Allow a plain-HTTP registry (default: $TINYSTATIC_REGISTRY_INSECURE).")
  Boolean insecure;

  @Option(
      names = "--server-image",
      paramLabel = "IMAGE",
      description =
          "Server image of ConfigMap delivery (default: $TINYSTATIC_SERVER_IMAGE, else the one"
              + " built with this jar).")
  String serverImage;

  OperatorConfig config() throws InputException {
    Map<String, String> env = new HashMap<>(System.getenv());
    put(env, OperatorConfig.REGISTRY, registry);
    put(env, OperatorConfig.REGISTRY_PULL_PREFIX, pullPrefix);
    put(env, OperatorConfig.REGISTRY_INSECURE, insecure == null ? null : insecure.toString());
    put(env, OperatorConfig.SERVER_IMAGE, serverImage);
    try {
      return OperatorConfig.from(env);
    } catch (ConfigException e) {
      throw new InputException(e.getMessage());
    }
  }

  private static void put(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }
}
