package dev.tinystatic.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Files taken from an existing object instead of (or besides) the inline files. */
public class ContentFrom {

  @Required
  @JsonPropertyDescription(
      "An existing ConfigMap in the site's namespace whose keys are file names and whose values"
          + " (data or binaryData) are the files, e.g. made by"
          + " `kubectl create configmap docs-files --from-file=dist/`, labelled"
          + " tinystatic.dev/content=true (the operator watches only such ConfigMaps). Editing it"
          + " rolls the site.")
  private ConfigMapRef configMapRef;

  public ContentFrom() {}

  public ContentFrom(ConfigMapRef configMapRef) {
    this.configMapRef = configMapRef;
  }

  public ConfigMapRef getConfigMapRef() {
    return configMapRef;
  }

  public void setConfigMapRef(ConfigMapRef configMapRef) {
    this.configMapRef = configMapRef;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContentFrom other && Objects.equals(configMapRef, other.configMapRef);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(configMapRef);
  }

  /** A reference to a ConfigMap in the site's own namespace. */
  public static class ConfigMapRef {
    @Required
    @JsonPropertyDescription("Name of the ConfigMap, in the site's namespace.")
    private String name;

    public ConfigMapRef() {}

    public ConfigMapRef(String name) {
      this.name = name;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ConfigMapRef other && Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(name);
    }
  }
}
