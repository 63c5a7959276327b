package dev.tinystatic.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Credential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/** Push credentials for one registry, from the content of a {@code .dockerconfigjson}. */
public final class RegistryCredentials {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RegistryCredentials() {}

  /**
   * The credential for {@code registry} (host[:port]) in a docker config JSON: its {@code
   * username}/{@code password}, or its {@code auth} (base64 of user:password).
   *
   * @throws IllegalArgumentException with a message to show the user when there is none
   */
  public static Credential forRegistry(String dockerConfigJson, String registry) {
    JsonNode auths;
    try {
      auths = JSON.readTree(dockerConfigJson).path("auths");
    } catch (IOException e) {
      throw new IllegalArgumentException("the registry Secret's .dockerconfigjson is not JSON");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      var entry = it.next();
      if (hostOf(entry.getKey()).equals(registry)) {
        return credentialOf(entry.getValue(), registry);
      }
    }
    throw new IllegalArgumentException(
        "the registry Secret has no credentials for "
            + registry
            + " (its .dockerconfigjson auths)");
  }

  private static Credential credentialOf(JsonNode auth, String registry) {
    if (auth.hasNonNull("username") && auth.hasNonNull("password")) {
      return Credential.from(auth.get("username").asText(), auth.get("password").asText());
    }
    if (auth.hasNonNull("auth")) {
      String decoded =
          new String(Base64.getDecoder().decode(auth.get("auth").asText()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        return Credential.from(decoded.substring(0, colon), decoded.substring(colon + 1));
      }
    }
    throw new IllegalArgumentException(
        "the registry Secret's entry for " + registry + " has neither username/password nor auth");
  }

  /** {@code https://registry.example:5000/v1/} and {@code registry.example:5000} name one host. */
  private static String hostOf(String key) {
    String host = key.replaceFirst("^[a-z]+://", "");
    int slash = host.indexOf('/');
    return slash < 0 ? host : host.substring(0, slash);
  }
}
