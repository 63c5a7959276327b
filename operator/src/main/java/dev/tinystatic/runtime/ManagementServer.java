package dev.tinystatic.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The operator pod's management port: {@code /healthz} (liveness: the operator runs), {@code
 * /readyz} (readiness: its informers are connected) and {@code /metrics} (Prometheus).
 */
public final class ManagementServer implements AutoCloseable {

  private final HttpServer server;

  private ManagementServer(HttpServer server) {
    this.server = server;
  }

  public static ManagementServer start(int port, Operator operator, PrometheusMeterRegistry metrics)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    var runtime = operator.getRuntimeInfo();
    server.createContext("/healthz", exchange -> health(exchange, runtime::isStarted));
    server.createContext(
        "/readyz",
        exchange ->
            health(exchange, () -> runtime.isStarted() && runtime.allEventSourcesAreHealthy()));
    server.createContext(
        "/metrics",
        exchange ->
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    server.start();
    return new ManagementServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void health(HttpExchange exchange, BooleanSupplier check) throws IOException {
    boolean ok = check.getAsBoolean();
    send(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "not ready\n");
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
