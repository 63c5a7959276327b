package dev.tinystatic.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A few answers of an engine's API on a real unix socket, for the engine detection tests: {@code
 * /version} as podman 4.3.1 or Docker 28.2.2 answer it (their real answers, shortened), no image,
 * and a pull that fails in its progress stream as theirs do without a registry. Or a server that
 * accepts and never answers. Requests are recorded ("GET /version").
 */
final class FakeEngineApi implements AutoCloseable {

  static final String PODMAN_VERSION =
      """
      {"Platform":{"Name":"linux/amd64/debian-12"},"Components":[{"Name":"Podman Engine",\
      "Version":"4.3.1","Details":{"APIVersion":"4.3.1"}},{"Name":"Conmon","Version":"2.1.6"}],\
      "Version":"4.3.1","ApiVersion":"1.41","MinAPIVersion":"1.24","Os":"linux"}\
      """;
  static final String DOCKER_VERSION =
      """
      {"Platform":{"Name":"Docker Engine - Community"},"Components":[{"Name":"Engine",\
      "Version":"28.2.2","Details":{"ApiVersion":"1.50"}}],"Version":"28.2.2",\
      "ApiVersion":"1.50","MinAPIVersion":"1.24","Os":"linux"}\
      """;
  static final String PULL_ERROR =
      "pinging container registry registry-1.docker.io: dial tcp: lookup registry-1.docker.io:"
          + " no such host";

  private final Path socket;
  private final ServerSocketChannel server;
  private final String version;
  private final List<SocketChannel> held = new CopyOnWriteArrayList<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  private FakeEngineApi(Path socket, String version) throws IOException {
    this.socket = socket;
    this.version = version;
    Files.createDirectories(socket.getParent());
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread accepting = new Thread(this::serve, "fake-engine-api");
    accepting.setDaemon(true);
    accepting.start();
  }

  static FakeEngineApi podman(Path socket) throws IOException {
    return new FakeEngineApi(socket, PODMAN_VERSION);
  }

  static FakeEngineApi docker(Path socket) throws IOException {
    return new FakeEngineApi(socket, DOCKER_VERSION);
  }

  /** Some other HTTP service on a unix socket: its /version is not an engine's. */
  static FakeEngineApi notAnEngine(Path socket) throws IOException {
    return new FakeEngineApi(socket, "{\"name\":\"some other service\",\"version\":\"2.0\"}");
  }

  /** Accepts connections and never answers. */
  static FakeEngineApi silent(Path socket) throws IOException {
    return new FakeEngineApi(socket, null);
  }

  /** A socket file nothing listens on any more, as a stopped service leaves it. */
  static Path staleSocket(Path socket) throws IOException {
    Files.createDirectories(socket.getParent());
    try (var channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.bind(UnixDomainSocketAddress.of(socket));
    }
    return socket;
  }

  URI host() {
    return URI.create("unix://" + socket);
  }

  private void serve() {
    try {
      while (true) {
        SocketChannel connection = server.accept();
        if (version == null) {
          held.add(connection);
          continue;
        }
        try (connection) {
          answer(
              Channels.newInputStream(connection), Channels.newOutputStream(connection), version);
        } catch (IOException | RuntimeException ignored) {
          // the client went away, or sent no request
        }
      }
    } catch (IOException closed) {
      // close() ends the loop
    }
  }

  private void answer(InputStream in, OutputStream out, String version) throws IOException {
    String head = readHead(in);
    if (!head.contains("\r\n")) {
      return;
    }
    String[] requestLine = head.substring(0, head.indexOf('\r')).split(" ");
    String method = requestLine[0];
    String path = requestLine[1];
    requests.add(method + " " + path);
    if (path.matches("(/v[0-9.]+)?/version")) {
      respond(out, 200, version);
    } else if (path.matches("(/v[0-9.]+)?/images/.+/json")) {
      respond(out, 404, "{\"message\":\"No such image\"}");
    } else if (method.equals("POST") && path.matches("(/v[0-9.]+)?/images/create\\?.*")) {
      respond(
          out,
          200,
          "{\"status\":\"Trying to pull\"}\n{\"error\":\""
              + PULL_ERROR
              + "\",\"errorDetail\":{\"message\":\""
              + PULL_ERROR
              + "\"}}\n");
    } else {
      respond(out, 404, "{\"message\":\"page not found\"}");
    }
  }

  private static String readHead(InputStream in) throws IOException {
    var head = new ByteArrayOutputStream();
    int matched = 0;
    for (int b = in.read(); b >= 0; b = in.read()) {
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        break;
      }
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static void respond(OutputStream out, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + (status == 200 ? " OK" : " Not Found")
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (SocketChannel connection : held) {
      connection.close();
    }
    Files.deleteIfExists(socket);
  }
}
