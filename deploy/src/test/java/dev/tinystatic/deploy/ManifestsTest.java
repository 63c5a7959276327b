package dev.tinystatic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** deploy/manifests/tinystatic.yaml is the chart of today, complete enough to apply on its own. */
class ManifestsTest {

  @Test
  void checkedInManifestsAreCurrent() throws Exception {
    assertThat(Files.readString(ManifestsGenerator.FILE))
        .as(
            "deploy/manifests/tinystatic.yaml is stale: regenerate it (from the repository root)"
                + " with "
                + ManifestsGenerator.REGENERATE)
        .isEqualTo(ManifestsGenerator.render());
  }

  @Test
  void manifestsHoldNamespaceCrdAndOperator() throws Exception {
    List<HasMetadata> objects = Chart.parse(Files.readString(ManifestsGenerator.FILE));
    Rendered manifests = new Rendered(objects);

    // The namespace and the CRD come first, so one kubectl apply creates everything in order.
    assertThat(objects.get(0)).isInstanceOf(Namespace.class);
    assertThat(objects.get(1)).isInstanceOf(CustomResourceDefinition.class);
    assertThat(manifests.one(Namespace.class, Chart.NAMESPACE, null).getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    assertThat(manifests.operator().getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(objects)
        .filteredOn(
            o ->
                !(o instanceof Namespace
                    || o instanceof CustomResourceDefinition
                    || o instanceof ClusterRole
                    || o instanceof ClusterRoleBinding))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE));
    assertThat(objects).hasSize(Chart.withDefaults().render().objects().size() + 2);
  }
}
