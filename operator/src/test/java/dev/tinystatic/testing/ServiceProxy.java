package dev.tinystatic.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HTTP to a site through its Service, from outside the cluster: the API server's service proxy
 * picks one of the Service's ready endpoints, as kube-proxy would, and relays status, headers and
 * body. Works against any cluster the client reaches, with no port-forward and no node access.
 */
public final class ServiceProxy {

  private ServiceProxy() {}

  /** What the site answered. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Every value of a header. Through the API server's proxy a Cache-Control comes after the
     * proxy's own ({@code no-cache, private}, which kube-apiserver sets on every response).
     */
    public List<String> values(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .toList();
    }

    /** The first value of a header, or null. */
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst()
          .orElse(null);
    }
  }

  /** GET {@code path} of Service {@code service} on its port named {@code http}. */
  public static Response get(
      KubernetesClient client,
      String namespace,
      String service,
      String path,
      Map<String, String> headers)
      throws Exception {
    String master = client.getConfiguration().getMasterUrl().replaceAll("/+$", "");
    var http = client.getHttpClient();
    var request =
        http.newHttpRequestBuilder()
            .uri(
                master
                    + "/api/v1/namespaces/"
                    + namespace
                    + "/services/"
                    + service
                    + ":http/proxy"
                    + path);
    headers.forEach(request::header);
    HttpResponse<byte[]> response =
        http.sendAsync(request.build(), byte[].class).get(30, TimeUnit.SECONDS);
    return new Response(response.code(), response.headers(), response.body());
  }
}
