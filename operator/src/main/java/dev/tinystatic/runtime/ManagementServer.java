package dev.tinystatic.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The operator pod's management port: {@code /healthz} (liveness: the operator runs), {@code
 * /readyz} (readiness: its informers are connected and, with leader election, the election works)
 * and {@code /metrics} (Prometheus).
 */
public final class ManagementServer implements AutoCloseable {

  private final HttpServer server;

  private ManagementServer(HttpServer server) {
    this.server = server;
  }

  public static ManagementServer start(int port, Operator operator, PrometheusMeterRegistry metrics)
      throws IOException {
    return start(port, operator, metrics, Optional.empty());
  }

  /**
   * @param election the leader election's health, when the operator elects a leader
   */
  public static ManagementServer start(
      int port,
      Operator operator,
      PrometheusMeterRegistry metrics,
      Optional<Supplier<LeaderLease.Health>> election)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    var runtime = operator.getRuntimeInfo();
    server.createContext(
        "/healthz",
        exchange ->
            answer(exchange, runtime.isStarted() ? "ok" : null, "the operator is not running"));
    server.createContext(
        "/readyz",
        exchange -> {
          if (!runtime.isStarted()) {
            answer(exchange, null, "the operator is not running");
          } else if (!runtime.allEventSourcesAreHealthy()) {
            answer(exchange, null, "informers not connected: " + runtime.unhealthyEventSources());
          } else {
            var health = election.map(Supplier::get);
            if (health.isPresent() && !health.get().ok()) {
              answer(exchange, null, health.get().message());
            } else {
              answer(exchange, health.map(h -> "ok: " + h.message()).orElse("ok"), null);
            }
          }
        });
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

  /** 200 with {@code ok}, or 503 with why not when {@code ok} is null. */
  private static void answer(HttpExchange exchange, String ok, String why) throws IOException {
    send(
        exchange,
        ok != null ? 200 : 503,
        "text/plain; charset=utf-8",
        (ok != null ? ok : "not ready: " + why) + "\n");
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
