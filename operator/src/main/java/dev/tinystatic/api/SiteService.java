package dev.tinystatic.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** How the site's Service exposes it. */
public class SiteService {

  @JsonPropertyDescription("Service type: ClusterIP (default), NodePort or LoadBalancer.")
  private ServiceType type;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port the Service exposes; defaults to spec.port.")
  private Integer port;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription(
      "Fixed node port for NodePort and LoadBalancer Services (the cluster's node port range,"
          + " usually 30000-32767); chosen by Kubernetes when absent.")
  private Integer nodePort;

  public ServiceType getType() {
    return type;
  }

  public void setType(ServiceType type) {
    this.type = type;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public Integer getNodePort() {
    return nodePort;
  }

  public void setNodePort(Integer nodePort) {
    this.nodePort = nodePort;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SiteService other
        && type == other.type
        && Objects.equals(port, other.port)
        && Objects.equals(nodePort, other.nodePort);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, port, nodePort);
  }
}
