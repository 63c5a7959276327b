package dev.tinystatic.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.http.Authorization;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.Request;
import com.google.cloud.tools.jib.http.Response;
import com.google.cloud.tools.jib.http.ResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registry API calls that Jib's {@code RegistryClient} does not make (deleting a manifest, listing
 * tags), sent through Jib's HTTP client (so HTTPS, and HTTP only for a registry configured
 * insecure, as for pushes), with the registry's own authentication: none, Basic, or a Bearer token
 * fetched from the realm its {@code WWW-Authenticate} challenge names, for the scope the call needs
 * (a delete needs the {@code delete} action, which a push token does not grant). One instance per
 * task; close it to release its connections.
 */
final class RegistryApi implements AutoCloseable {

  /** A call's answer: any status, 4xx and 5xx included. */
  record Answer(int status, String body, Optional<String> challenge) {

    /** The first error code of a distribution error body, e.g. {@code UNSUPPORTED}, or "". */
    String errorCode() {
      try {
        return JSON.readTree(body).at("/errors/0/code").asText();
      } catch (IOException notJson) {
        return "";
      }
    }
  }

  private static final Logger log = LoggerFactory.getLogger(RegistryApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final int TIMEOUT_MILLIS = 10_000;

  private final String registry;
  private final Optional<Credential> credential;
  private final FailoverHttpClient http;
  private final Map<String, Authorization> tokens = new HashMap<>();

  /**
   * @param registry host[:port]
   * @param insecure whether plain HTTP (or unverified TLS) may be used, credentials included
   */
  RegistryApi(String registry, boolean insecure, Optional<Credential> credential) {
    this.registry = registry;
    this.credential = credential;
    this.http =
        new FailoverHttpClient(insecure, insecure, e -> log.debug("jib: {}", e.getMessage()));
  }

  /**
   * {@code method} on {@code /v2/<repository><path>}, authenticated for {@code actions} on the
   * repository (e.g. {@code pull,delete}) when the registry asks for it.
   */
  Answer call(String method, String repository, String path, List<String> accept, String actions)
      throws IOException {
    URL url = new URL("https://" + registry + "/v2/" + repository + path);
    String scope = "repository:" + repository + ":" + actions;
    Answer answer = send(method, url, accept, tokens.get(scope));
    if (answer.status() == 401 && answer.challenge().isPresent()) {
      Authorization authorization = authorize(answer.challenge().get(), scope);
      tokens.put(scope, authorization);
      answer = send(method, url, accept, authorization);
    }
    return answer;
  }

  private Answer send(String method, URL url, List<String> accept, Authorization authorization)
      throws IOException {
    Request request =
        Request.builder()
            .setAccept(accept)
            .setAuthorization(authorization)
            .setHttpTimeout(TIMEOUT_MILLIS)
            .build();
    try (Response response = http.call(method, url, request)) {
      return new Answer(response.getStatusCode(), read(response.getBody()), Optional.empty());
    } catch (ResponseException e) {
      String challenge = e.getHeaders().getAuthenticate();
      return new Answer(
          e.getStatusCode(),
          e.getContent() == null ? "" : e.getContent(),
          Optional.ofNullable(challenge));
    }
  }

  /** What answers the registry's challenge: Basic credentials, or a token for {@code scope}. */
  private Authorization authorize(String challenge, String scope) throws IOException {
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      Credential basic =
          credential.orElseThrow(
              () -> new IOException("it asks for credentials (Basic) and none are configured"));
      return Authorization.fromBasicCredentials(basic.getUsername(), basic.getPassword());
    }
    if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      throw new IOException("unsupported authentication: " + challenge);
    }
    Map<String, String> parameters = new HashMap<>();
    for (Matcher m = PARAMETER.matcher(challenge); m.find(); ) {
      parameters.put(m.group(1).toLowerCase(), m.group(2));
    }
    String realm = parameters.get("realm");
    if (realm == null) {
      throw new IOException("its Bearer challenge names no realm: " + challenge);
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
    if (parameters.containsKey("service")) {
      url.append("service=").append(encode(parameters.get("service"))).append('&');
    }
    url.append("scope=").append(encode(scope));
    Authorization basic =
        credential
            .map(c -> Authorization.fromBasicCredentials(c.getUsername(), c.getPassword()))
            .orElse(null);
    Answer token = send("GET", new URL(url.toString()), List.of("application/json"), basic);
    if (token.status() != 200) {
      throw new IOException(
          "its token service " + realm + " answered " + token.status() + " for " + scope);
    }
    JsonNode json = JSON.readTree(token.body());
    String value =
        json.hasNonNull("token") ? json.get("token").asText() : json.path("access_token").asText();
    if (value.isEmpty()) {
      throw new IOException("its token service " + realm + " gave no token for " + scope);
    }
    return Authorization.fromBearerToken(value);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String read(InputStream body) throws IOException {
    return new String(body.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      http.shutDown();
    } catch (IOException e) {
      log.debug("closing the registry connections: {}", e.getMessage());
    }
  }

  /**
   * What went wrong talking to a registry, in one line for a condition or an event: the root
   * cause's message, and "cannot connect" when the registry is not reachable.
   */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String what =
        root.getMessage() == null
            ? root.getClass().getSimpleName()
            : root.getMessage().strip().replaceAll("\\s*\n\\s*", " "); // one line
    return root instanceof java.net.ConnectException
            || root instanceof java.net.UnknownHostException
        ? "cannot connect (" + what + ")"
        : what;
  }
}
