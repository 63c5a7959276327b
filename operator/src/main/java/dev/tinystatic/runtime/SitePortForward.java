package dev.tinystatic.runtime;

import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;

/**
 * A localhost port forwarded to one of a site's ready pods, on the port its server listens on.
 * (Fabric8's Service port-forward maps only numeric target ports; the site's is named.)
 */
public final class SitePortForward {

  private SitePortForward() {}

  /**
   * @throws IllegalStateException when no pod of the site is ready
   */
  public static LocalPortForward open(KubernetesClient client, TinyStaticSite site) {
    String namespace = site.getMetadata().getNamespace();
    Pod pod =
        client
            .pods()
            .inNamespace(namespace)
            .withLabels(SiteObjects.selectorLabels(site))
            .list()
            .getItems()
            .stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(SitePortForward::ready)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no ready pod of site " + namespace + "/" + site.getMetadata().getName()));
    return client
        .pods()
        .inNamespace(namespace)
        .withName(pod.getMetadata().getName())
        .portForward(site.getSpec().portOrDefault());
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
