package dev.tinystatic.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the container engine {@code dev} runs k3s in: the one {@code DOCKER_HOST} names when it is
 * set (as the docker CLI does), else the first that answers of Docker's socket, rootless Docker's,
 * rootful podman's and rootless podman's. When none answers it says, per place, whether there was
 * no socket at all or one that does not answer, and how to start an engine.
 */
final class EngineSearch {

  static final String HOW_TO_START =
      "Start one: `sudo systemctl start docker`, or podman's API service: `sudo systemctl start"
          + " podman.socket` (rootless: `systemctl --user start podman.socket`) or `sudo podman"
          + " system service --time=0 unix:///run/podman/podman.sock &`.";

  private final String dockerHost;
  private final List<Path> absent = new ArrayList<>();
  private final List<String> silent = new ArrayList<>();
  private ContainerEngine engine;

  private EngineSearch(String dockerHost) {
    this.dockerHost = dockerHost;
  }

  /**
   * Looks where {@code env} says; {@code root} is the file system root the default sockets are
   * under ({@code /}, or a test's directory).
   */
  static EngineSearch run(Map<String, String> env, Path root) {
    var search = new EngineSearch(dockerHost(env));
    for (URI place : places(env, root)) {
      if (search.tryPlace(place)) {
        break;
      }
    }
    return search;
  }

  /** The places to look, in order. */
  static List<URI> places(Map<String, String> env, Path root) {
    if (dockerHost(env) != null) {
      return List.of(URI.create(dockerHost(env)));
    }
    List<Path> sockets = new ArrayList<>();
    sockets.add(root.resolve("var/run/docker.sock"));
    String runtimeDir = env.get("XDG_RUNTIME_DIR");
    boolean rootless = runtimeDir != null && !runtimeDir.isBlank();
    if (rootless) {
      sockets.add(Path.of(runtimeDir, "docker.sock"));
    }
    sockets.add(root.resolve("run/podman/podman.sock"));
    if (rootless) {
      sockets.add(Path.of(runtimeDir, "podman", "podman.sock"));
    }
    return sockets.stream().map(socket -> URI.create("unix://" + socket.toAbsolutePath())).toList();
  }

  private static String dockerHost(Map<String, String> env) {
    String value = env.get("DOCKER_HOST");
    return value == null || value.isBlank() ? null : value.strip();
  }

  private boolean tryPlace(URI place) {
    if ("unix".equals(place.getScheme()) && !Files.exists(Path.of(place.getPath()))) {
      absent.add(Path.of(place.getPath()));
      return false;
    }
    try {
      engine = ContainerEngine.connect(place);
      return true;
    } catch (IOException e) {
      String where =
          "unix".equals(place.getScheme()) ? place.getPath() + " exists but" : place + "";
      silent.add(where + " does not answer (" + e.getMessage() + ")");
      return false;
    }
  }

  /** The engine found, if any: the caller closes it. */
  Optional<ContainerEngine> engine() {
    return Optional.ofNullable(engine);
  }

  /**
   * Why there is no engine, in one sentence, then how to start one. With DOCKER_HOST set, dev looks
   * nowhere else, and says so.
   */
  String noEngineMessage() {
    List<String> found = new ArrayList<>(silent);
    if (!absent.isEmpty()) {
      found.add(0, "no socket at " + or(absent.stream().map(Path::toString).toList()));
    }
    if (dockerHost != null) {
      return "DOCKER_HOST="
          + dockerHost
          + " names no engine that answers ("
          + String.join("; ", found)
          + "), so `tinystatic dev` cannot start k3s.\n"
          + "Start the engine it names, or unset DOCKER_HOST to let dev look for Docker and podman"
          + " in their usual places.";
    }
    return "Neither Docker nor podman answers here ("
        + String.join("; ", found)
        + "), so `tinystatic dev` cannot start k3s.\n"
        + HOW_TO_START;
  }

  private static String or(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " or "
        + items.get(items.size() - 1);
  }
}
