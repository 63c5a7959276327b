package dev.tinystatic.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The digest a revision Deployment carries of what the operator wrote: a restarted operator
 * compares it with what it would write now, so it must not change with the order maps were built in
 * (Map.of iterates in an order seeded per JVM).
 */
class RevisionDigestTest {

  @Test
  void mapsBuiltInAnotherOrderGiveTheSameDigest() {
    var cpuFirst = new LinkedHashMap<String, Quantity>();
    cpuFirst.put("cpu", new Quantity("10m"));
    cpuFirst.put("memory", new Quantity("16Mi"));
    var memoryFirst = new LinkedHashMap<String, Quantity>();
    memoryFirst.put("memory", new Quantity("16Mi"));
    memoryFirst.put("cpu", new Quantity("10m"));

    assertThat(AtomicCutover.digest(deployment(cpuFirst, 1)))
        .isEqualTo(AtomicCutover.digest(deployment(memoryFirst, 1)));
  }

  @Test
  void anotherSpecGivesAnotherDigest() {
    var requests = Map.of("cpu", new Quantity("10m"));
    assertThat(AtomicCutover.digest(deployment(requests, 1)))
        .isNotEqualTo(AtomicCutover.digest(deployment(requests, 2)));
  }

  private static Deployment deployment(Map<String, Quantity> requests, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("site-0123456789ab")
        .addToAnnotations("tinystatic.dev/content-hash", "sha256:0123")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewTemplate()
        .withNewSpec()
        .withContainers(
            new ContainerBuilder()
                .withName("server")
                .withNewResources()
                .withRequests(requests)
                .endResources()
                .build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
