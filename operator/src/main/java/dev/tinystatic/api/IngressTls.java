package dev.tinystatic.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** spec.ingress.tls: HTTPS with an existing Secret, or one cert-manager writes. */
@ValidationRule(
    value = "!(has(self.clusterIssuer) && has(self.issuer))",
    message = "set clusterIssuer or issuer, not both")
public class IngressTls {

  @JsonPropertyDescription(
      "Secret holding the certificate: an existing one, or the one cert-manager writes (default"
          + " SITE-tls).")
  private String secretName;

  @JsonPropertyDescription(
      "cert-manager ClusterIssuer that issues the certificate (annotation"
          + " cert-manager.io/cluster-issuer).")
  private String clusterIssuer;

  @JsonPropertyDescription(
      "cert-manager Issuer in the site's namespace that issues the certificate (annotation"
          + " cert-manager.io/issuer).")
  private String issuer;

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getClusterIssuer() {
    return clusterIssuer;
  }

  public void setClusterIssuer(String clusterIssuer) {
    this.clusterIssuer = clusterIssuer;
  }

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer;
  }
}
