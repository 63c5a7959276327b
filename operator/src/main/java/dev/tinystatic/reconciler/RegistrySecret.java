package dev.tinystatic.reconciler;

import com.google.cloud.tools.jib.api.Credential;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.image.RegistryCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the registry's push credentials from the configured {@code kubernetes.io/dockerconfigjson}
 * Secret in the operator's namespace, each time a bake needs them (so a rotated Secret is used at
 * once). Failures say which Secret and what is wrong with it.
 */
final class RegistrySecret implements Supplier<Optional<Credential>> {

  private final RegistryConfig registry;
  private final KubernetesClient client;
  private final String namespace;

  private RegistrySecret(RegistryConfig registry, KubernetesClient client, String namespace) {
    this.registry = registry;
    this.client = client;
    this.namespace = namespace;
  }

  /** The push credentials of the operator's registry (none without a registry or Secret). */
  static Supplier<Optional<Credential>> credentials(
      OperatorConfig config, KubernetesClient client) {
    return config
        .registry()
        .<Supplier<Optional<Credential>>>map(r -> new RegistrySecret(r, client, config.namespace()))
        .orElse(Optional::empty);
  }

  @Override
  public Optional<Credential> get() {
    if (registry.credentialsSecret().isEmpty()) {
      return Optional.empty();
    }
    String name = registry.credentialsSecret().get();
    String ns = namespace != null ? namespace : client.getNamespace();
    Secret secret = client.secrets().inNamespace(ns).withName(name).get();
    if (secret == null) {
      throw new IllegalArgumentException("registry Secret " + ns + "/" + name + " does not exist");
    }
    String json = secret.getData() == null ? null : secret.getData().get(".dockerconfigjson");
    if (json == null) {
      throw new IllegalArgumentException(
          "registry Secret "
              + ns
              + "/"
              + name
              + " has no .dockerconfigjson (type kubernetes.io/dockerconfigjson)");
    }
    return Optional.of(
        RegistryCredentials.forRegistry(
            new String(Base64.getDecoder().decode(json), StandardCharsets.UTF_8),
            registry.registry()));
  }
}
