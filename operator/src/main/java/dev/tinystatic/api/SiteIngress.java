package dev.tinystatic.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/**
 * spec.ingress: the site under a public host name, through an owned networking.k8s.io/v1 Ingress.
 */
public class SiteIngress {

  @Required
  @JsonPropertyDescription("Host name the Ingress routes to the site, e.g. www.example.com.")
  private String host;

  @JsonPropertyDescription("Path prefix routed to the site (default /).")
  private String path;

  @JsonPropertyDescription(
      "IngressClass to use, e.g. traefik or nginx (default: the cluster's default IngressClass).")
  private String className;

  @JsonPropertyDescription(
      "HTTPS: the certificate's Secret, or the cert-manager issuer that writes it.")
  private IngressTls tls;

  @JsonPropertyDescription("Annotations put on the Ingress as they are (controller settings).")
  private Map<String, String> annotations;

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getClassName() {
    return className;
  }

  public void setClassName(String className) {
    this.className = className;
  }

  public IngressTls getTls() {
    return tls;
  }

  public void setTls(IngressTls tls) {
    this.tls = tls;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  /** spec.ingress.path, or / when not set. */
  public String pathOrDefault() {
    return path == null || path.isBlank() ? "/" : path;
  }
}
