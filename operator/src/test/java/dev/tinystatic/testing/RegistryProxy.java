package dev.tinystatic.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * A real registry seen through a proxy that makes it answer as another registry would, in one
 * respect; everything else passes through unchanged.
 */
public final class RegistryProxy implements AutoCloseable {

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "host",
          "connection",
          "content-length",
          "transfer-encoding",
          "expect",
          "upgrade",
          "keep-alive");
  private static final byte[] NOT_FOUND =
      "{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"artifact not found\"}]}"
          .getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final String upstream;
  private final boolean harborNotFound;
  private final boolean withoutMounts;
  private final boolean tokenAuth;
  private final String readOnly; // a repository only read here, or null

  private RegistryProxy(
      String upstream,
      boolean harborNotFound,
      boolean withoutMounts,
      boolean tokenAuth,
      String readOnly)
      throws IOException {
    this.upstream = upstream;
    this.harborNotFound = harborNotFound;
    this.withoutMounts = withoutMounts;
    this.tokenAuth = tokenAuth;
    this.readOnly = readOnly;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::forward);
    server.start();
  }

  /**
   * The registry at {@code upstream} (host:port) answering a missing manifest as Harbor does
   * ({@code 404} with error code {@code NOT_FOUND}, not distribution's {@code MANIFEST_UNKNOWN}).
   */
  public static RegistryProxy harborStyle(String upstream) throws IOException {
    return new RegistryProxy(upstream, true, false, false, null);
  }

  /**
   * The registry at {@code upstream} as one without cross-repository blob mounts: the {@code mount}
   * and {@code from} of a blob upload are dropped, so it starts an ordinary upload ({@code 202}),
   * as the distribution spec has a registry answer a mount it will not make.
   */
  public static RegistryProxy withoutMounts(String upstream) throws IOException {
    return new RegistryProxy(upstream, false, true, false, null);
  }

  /**
   * The registry at {@code upstream} behind token authentication, as Docker Hub, Harbor or GitLab
   * have it: a request without a token for its repository and action (pull, push, delete) gets
   * {@code 401} with a {@code Bearer realm=".../token",service=...,scope=...} challenge, and {@code
   * /token} hands out a token for the scope asked for to {@link LocalRegistry#USER} / {@link
   * LocalRegistry#PASSWORD} (Basic). A stand-in for the token service; the registry is real.
   */
  public static RegistryProxy withTokenAuth(String upstream) throws IOException {
    return new RegistryProxy(upstream, false, false, true, null);
  }

  /**
   * The registry at {@code upstream} for credentials that may not write to {@code repository} (e.g.
   * {@code sites/tinystatic-server}): its uploads and manifest pushes get {@code 403 DENIED}, as a
   * registry scoping push rights by path answers.
   */
  public static RegistryProxy readOnly(String upstream, String repository) throws IOException {
    return new RegistryProxy(upstream, false, false, false, repository);
  }

  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (tokenAuth && !authorized(exchange)) {
        return;
      }
      if (readOnly != null
          && !List.of("GET", "HEAD").contains(exchange.getRequestMethod())
          && exchange.getRequestURI().getPath().startsWith("/v2/" + readOnly + "/")) {
        byte[] denied =
            "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(403, denied.length);
        exchange.getResponseBody().write(denied);
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      String uri = exchange.getRequestURI().toString();
      if (withoutMounts && uri.contains("/blobs/uploads/?")) {
        uri = uri.substring(0, uri.indexOf('?'));
      }
      var request =
          HttpRequest.newBuilder(URI.create("http://" + upstream + uri))
              .method(
                  exchange.getRequestMethod(),
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                  values.forEach(v -> request.header(name, v));
                }
              });
      HttpResponse<byte[]> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      byte[] out = response.body();
      if (harborNotFound
          && response.statusCode() == 404
          && exchange.getRequestURI().getPath().contains("/manifests/")
          && out.length > 0) {
        out = NOT_FOUND;
      }
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())
                    || name.equalsIgnoreCase("content-length")
                        && exchange.getRequestMethod().equals("HEAD")) {
                  exchange
                      .getResponseHeaders()
                      .put(
                          name,
                          List.copyOf(
                              values.stream()
                                  .map(v -> v.replace("http://" + upstream, "http://" + address()))
                                  .toList()));
                }
              });
      boolean empty = out.length == 0 || exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : out.length);
      if (!empty) {
        try (OutputStream sink = exchange.getResponseBody()) {
          sink.write(out);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Token authentication: answers {@code /token} and requests without the token they need, and says
   * whether the request may go on.
   */
  private boolean authorized(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/token")) {
      String basic =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (LocalRegistry.USER + ":" + LocalRegistry.PASSWORD)
                          .getBytes(StandardCharsets.UTF_8));
      String query = exchange.getRequestURI().getRawQuery();
      String scope =
          String.join(
              " ",
              java.util.Arrays.stream(query == null ? new String[0] : query.split("&"))
                  .filter(p -> p.startsWith("scope="))
                  .map(p -> URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8))
                  .toList());
      boolean ok = basic.equals(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] answer =
          ok
              ? ("{\"token\":\""
                      + Base64.getUrlEncoder()
                          .encodeToString(scope.getBytes(StandardCharsets.UTF_8))
                      + "\"}")
                  .getBytes(StandardCharsets.UTF_8)
              : "{\"details\":\"bad credentials\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(ok ? 200 : 401, answer.length);
      exchange.getResponseBody().write(answer);
      return false;
    }
    var m = java.util.regex.Pattern.compile("^/v2/(.+?)/(manifests|blobs|tags)/").matcher(path);
    boolean root = !m.find(); // /v2/ itself: any token will do
    String action =
        switch (exchange.getRequestMethod()) {
          case "GET", "HEAD" -> "pull";
          case "DELETE" -> "delete";
          default -> "push";
        };
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth != null && auth.startsWith("Bearer ")) {
      // each scope is repository:NAME:ACTIONS, several joined by spaces
      for (String granted :
          new String(Base64.getUrlDecoder().decode(auth.substring(7)), StandardCharsets.UTF_8)
              .split(" ")) {
        String prefix = root ? "repository:" : "repository:" + m.group(1) + ":";
        if (granted.startsWith(prefix)
            && (root || List.of(granted.substring(prefix.length()).split(",")).contains(action))) {
          return true;
        }
      }
    }
    exchange
        .getResponseHeaders()
        .add(
            "WWW-Authenticate",
            "Bearer realm=\"http://%s/token\",service=\"test\"".formatted(address())
                + (root ? "" : ",scope=\"repository:%s:%s\"".formatted(m.group(1), action)));
    byte[] unauthorized =
        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(401, unauthorized.length);
    exchange.getResponseBody().write(unauthorized);
    return false;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
