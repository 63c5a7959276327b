package dev.tinystatic.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** spec.gateway: the site behind a Gateway API Gateway, through an owned HTTPRoute. */
public class SiteGateway {

  @Required
  @JsonPropertyDescription(
      "Gateways (and listeners) the HTTPRoute attaches to, e.g. {name: public, namespace:"
          + " gateways, sectionName: https}.")
  private List<ParentRef> parentRefs;

  @JsonPropertyDescription("Host names the HTTPRoute matches (default: every host of the Gateway).")
  private List<String> hostnames;

  public List<ParentRef> getParentRefs() {
    return parentRefs;
  }

  public void setParentRefs(List<ParentRef> parentRefs) {
    this.parentRefs = parentRefs;
  }

  public List<String> getHostnames() {
    return hostnames;
  }

  public void setHostnames(List<String> hostnames) {
    this.hostnames = hostnames;
  }

  /** One Gateway the route attaches to. */
  public static class ParentRef {

    @Required
    @JsonPropertyDescription("Name of the Gateway.")
    private String name;

    @JsonPropertyDescription("Namespace of the Gateway (default: the site's).")
    private String namespace;

    @JsonPropertyDescription("Listener of the Gateway to attach to (default: all of them).")
    private String sectionName;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getNamespace() {
      return namespace;
    }

    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }

    public String getSectionName() {
      return sectionName;
    }

    public void setSectionName(String sectionName) {
      this.sectionName = sectionName;
    }
  }
}
