package dev.tinystatic.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Objects;

/** The objects a rendered chart consists of, with typed look-ups. */
record Rendered(List<HasMetadata> objects) {

  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** The one object of this kind, name (and namespace, when given); fails when absent. */
  <T extends HasMetadata> T one(Class<T> kind, String name, String namespace) {
    List<T> found =
        all(kind).stream()
            .filter(o -> o.getMetadata().getName().equals(name))
            .filter(
                o -> namespace == null || Objects.equals(o.getMetadata().getNamespace(), namespace))
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one "
              + kind.getSimpleName()
              + " "
              + namespace
              + "/"
              + name
              + ", found "
              + found.size()
              + " among "
              + describe());
    }
    return found.get(0);
  }

  Deployment operator() {
    List<Deployment> deployments = all(Deployment.class);
    if (deployments.size() != 1) {
      throw new AssertionError("expected one operator Deployment among " + describe());
    }
    return deployments.get(0);
  }

  List<String> describe() {
    return objects.stream()
        .map(
            o ->
                o.getKind()
                    + " "
                    + o.getMetadata().getNamespace()
                    + "/"
                    + o.getMetadata().getName())
        .toList();
  }
}
