package dev.tinystatic.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

  private RegistryProxy(String upstream, boolean harborNotFound, boolean withoutMounts)
      throws IOException {
    this.upstream = upstream;
    this.harborNotFound = harborNotFound;
    this.withoutMounts = withoutMounts;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::forward);
    server.start();
  }

  /**
   * The registry at {@code upstream} (host:port) answering a missing manifest as Harbor does
   * ({@code 404} with error code {@code NOT_FOUND}, not distribution's {@code MANIFEST_UNKNOWN}).
   */
  public static RegistryProxy harborStyle(String upstream) throws IOException {
    return new RegistryProxy(upstream, true, false);
  }

  /**
   * The registry at {@code upstream} as one without cross-repository blob mounts: the {@code mount}
   * and {@code from} of a blob upload are dropped, so it starts an ordinary upload ({@code 202}),
   * as the distribution spec has a registry answer a mount it will not make.
   */
  public static RegistryProxy withoutMounts(String upstream) throws IOException {
    return new RegistryProxy(upstream, false, true);
  }

  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
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

  @Override
  public void close() {
    server.stop(0);
  }
}
