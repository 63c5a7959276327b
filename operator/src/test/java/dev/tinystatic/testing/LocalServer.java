package dev.tinystatic.testing;

import dev.tinystatic.content.SiteServing;
import dev.tinystatic.server.ServerBinary;
import dev.tinystatic.server.ServerImage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * On the mock API server, which runs no pod: the real tinyhttpd started on what a site's pod would
 * get (its files, its headers file, its container's arguments or its image's CMD), so a scenario
 * asks it what the Service would answer. Paths of the pod (/site, /tinystatic/headers) become
 * directories of a temporary root.
 */
public final class LocalServer {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private LocalServer() {}

  /** ConfigMap delivery: the projected files and the headers file of the Deployment's volumes. */
  public static ServiceProxy.Response configMapPod(
      KubernetesClient client,
      String namespace,
      String site,
      String path,
      Map<String, String> headers)
      throws Exception {
    Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(site).get();
    ConfigMap content =
        client.configMaps().inNamespace(namespace).withName(site + "-content").get();
    Map<String, byte[]> entries = new java.util.TreeMap<>();
    ServedContent.files(client, namespace, site)
        .forEach(
            (file, text) ->
                entries.put("site/" + file, text.getBytes(StandardCharsets.ISO_8859_1)));
    entries.put(
        SiteServing.HEADERS_PATH.substring(1),
        ServedContent.headersFile(content).getBytes(StandardCharsets.US_ASCII));
    List<String> args =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    return request(entries, args, path, headers);
  }

  /** Image delivery: the image's files and CMD (the Deployment passes no arguments). */
  public static ServiceProxy.Response imagePod(
      ImageContent.Image image, String path, Map<String, String> headers) throws Exception {
    return request(image.entries(), image.cmd(), path, headers);
  }

  /**
   * @param entries the pod's files, by path from its root
   * @param args the server's arguments in the pod
   */
  static ServiceProxy.Response request(
      Map<String, byte[]> entries, List<String> args, String path, Map<String, String> headers)
      throws Exception {
    Path root = Files.createTempDirectory("tinystatic-pod-");
    Process server = null;
    try {
      Files.createDirectories(root.resolve("site"));
      for (var entry : entries.entrySet()) {
        Path file = root.resolve(entry.getKey());
        Files.createDirectories(file.getParent());
        Files.write(file, entry.getValue());
      }
      Path binary = ServerBinary.extract(ServerBinary.Arch.host(), root.resolve("tinyhttpd"));
      int port;
      try (var socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      List<String> command =
          new ArrayList<>(List.of(binary.toString(), "-d", root.resolve("site").toString()));
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        command.add(
            arg.startsWith("/") && !arg.equals(ServerImage.DOCROOT)
                ? root.resolve(arg.substring(1)).toString()
                : arg.equals(ServerImage.DOCROOT) ? root.resolve("site").toString() : arg);
      }
      // the pod's port, whatever it is, becomes a free one here (later options win)
      command.addAll(List.of("-a", "127.0.0.1", "-p", Integer.toString(port)));
      server = new ProcessBuilder(command).redirectErrorStream(true).start();
      String first = new BufferedReader(new InputStreamReader(server.getInputStream())).readLine();
      if (first == null || !first.contains("listening")) {
        throw new AssertionError("tinyhttpd " + command + " did not start: " + first);
      }
      var request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5));
      headers.forEach(request::header);
      var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new ServiceProxy.Response(
          response.statusCode(), response.headers().map(), response.body());
    } finally {
      if (server != null) {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
      try (var walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
