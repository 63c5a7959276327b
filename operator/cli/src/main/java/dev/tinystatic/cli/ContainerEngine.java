package dev.tinystatic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A container engine that answers Docker's API at one address: Docker, or podman's API service
 * (which speaks Docker's API too). {@code dev} asks it who it is, whether it holds the k3s image,
 * and to pull it, before Testcontainers takes over.
 *
 * <p>It talks through docker-java's transport, the one Testcontainers uses (and brings). Every call
 * has a time limit of its own: that transport's response timeout does not apply to unix sockets, so
 * a socket whose server accepts but never answers would block forever.
 */
final class ContainerEngine implements AutoCloseable {

  /** Where Testcontainers finds Docker by itself, without {@code DOCKER_HOST}. */
  static final URI DOCKER_DEFAULT_HOST = URI.create("unix:///var/run/docker.sock");

  /** Podman 4.3's /version alone took 2.4-3.1 s on a busy 2-core machine: room for that. */
  private static final Duration ANSWER = Duration.ofSeconds(10);

  private static final Duration PULL = Duration.ofMinutes(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI host;
  private final DockerHttpClient http;
  private final boolean podman;
  private final String version;

  private ContainerEngine(URI host, DockerHttpClient http, boolean podman, String version) {
    this.host = host;
    this.http = http;
    this.podman = podman;
    this.version = version;
  }

  /**
   * The engine at {@code host}, asked for its version. Fails with a short reason (connection
   * refused, no answer in 10 s, an HTTP error) when nothing there answers like Docker's API.
   */
  static ContainerEngine connect(URI host) throws IOException {
    DockerHttpClient http =
        new ZerodepDockerHttpClient.Builder().dockerHost(host).connectionTimeout(ANSWER).build();
    try {
      JsonNode about =
          call(
              http,
              Request.builder().method(Request.Method.GET).path("/version").build(),
              ANSWER,
              response -> {
                expectOk(response);
                return JSON.readTree(response.getBody());
              });
      if (!about.path("ApiVersion").isTextual()) {
        throw new IOException("not Docker's API: /version has no ApiVersion");
      }
      for (JsonNode component : about.path("Components")) {
        if (component.path("Name").asText().startsWith("Podman")) {
          return new ContainerEngine(host, http, true, component.path("Version").asText());
        }
      }
      return new ContainerEngine(host, http, false, about.path("Version").asText());
    } catch (IOException | RuntimeException e) {
      http.close();
      throw e;
    }
  }

  boolean isPodman() {
    return podman;
  }

  /** The engine's command-line tool, for the commands dev suggests. */
  String cli() {
    return podman ? "podman" : "docker";
  }

  URI host() {
    return host;
  }

  /** Whether the engine holds {@code image} already. */
  boolean hasImage(String image) throws IOException {
    return call(
        http,
        Request.builder().method(Request.Method.GET).path("/images/" + image + "/json").build(),
        ANSWER,
        response -> {
          if (response.getStatusCode() == 404) {
            return false;
          }
          expectOk(response);
          return true;
        });
  }

  /**
   * Pulls {@code image} (as {@code docker pull} does) and fails with the engine's own reason, such
   * as a registry it cannot reach. Both engines answer 200 first and report a failure in the
   * progress stream, so the whole stream is read.
   */
  void pull(String image) throws IOException {
    String query = "fromImage=" + URLEncoder.encode(image, StandardCharsets.UTF_8);
    call(
        http,
        Request.builder().method(Request.Method.POST).path("/images/create?" + query).build(),
        PULL,
        response -> {
          expectOk(response);
          try (MappingIterator<JsonNode> progress =
              JSON.readerFor(JsonNode.class).readValues(response.getBody())) {
            while (progress.hasNextValue()) {
              JsonNode item = progress.nextValue();
              if (item.hasNonNull("error")) {
                throw new IOException(item.get("error").asText());
              }
            }
          }
          return null;
        });
  }

  /**
   * What Testcontainers needs in its environment to use this engine (it reads these with
   * System.getenv only): the engine's address unless it is Docker's default; for podman, no Ryuk
   * (its reaper container is pulled at start and runs privileged; dev removes k3s itself) and, on a
   * local socket, 127.0.0.1 for the ports podman publishes (inside a container Testcontainers would
   * otherwise dial the Docker bridge's gateway, which podman has not).
   */
  Map<String, String> testcontainersEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (!host.equals(DOCKER_DEFAULT_HOST)) {
      env.put("DOCKER_HOST", host.toString());
    }
    if (podman) {
      env.put("TESTCONTAINERS_RYUK_DISABLED", "true");
      if ("unix".equals(host.getScheme())) {
        env.put("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1");
      }
    }
    return env;
  }

  /** Those of {@link #testcontainersEnvironment()} that {@code env} lacks (set ones are kept). */
  Map<String, String> missingFrom(Map<String, String> env) {
    Map<String, String> missing = new LinkedHashMap<>(testcontainersEnvironment());
    missing.keySet().removeIf(name -> env.get(name) != null && !env.get(name).isBlank());
    return missing;
  }

  @Override
  public String toString() {
    return (podman ? "podman " : "Docker ") + version + " at " + host;
  }

  @Override
  public void close() {
    try {
      http.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  @FunctionalInterface
  private interface Handler<T> {
    T handle(Response response) throws IOException;
  }

  /** One request on a thread of its own, given up (and the connection closed) after limit. */
  private static <T> T call(
      DockerHttpClient http, Request request, Duration limit, Handler<T> handler)
      throws IOException {
    CompletableFuture<T> answer =
        CompletableFuture.supplyAsync(
            () -> {
              try (Response response = http.execute(request)) {
                return handler.handle(response);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            task -> {
              Thread thread = new Thread(task, "container-engine-api");
              thread.setDaemon(true);
              thread.start();
            });
    try {
      return answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      closeQuietly(http);
      throw new IOException("nothing came in " + limit.toSeconds() + " s");
    } catch (InterruptedException e) {
      closeQuietly(http);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    } catch (ExecutionException e) {
      throw new IOException(reason(e.getCause()), e.getCause());
    }
  }

  private static void expectOk(Response response) throws IOException {
    int status = response.getStatusCode();
    if (status / 100 != 2) {
      String message;
      try {
        message = JSON.readTree(response.getBody()).path("message").asText("");
      } catch (IOException notJson) {
        message = "";
      }
      throw new IOException("HTTP " + status + (message.isEmpty() ? "" : ": " + message));
    }
  }

  /** The innermost message: "Connection refused" rather than a chain of wrappers. */
  private static String reason(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  private static void closeQuietly(DockerHttpClient http) {
    try {
      http.close();
    } catch (IOException ignored) {
      // giving up on it anyway
    }
  }
}
