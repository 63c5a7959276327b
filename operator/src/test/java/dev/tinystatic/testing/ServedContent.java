package dev.tinystatic.testing;

import dev.tinystatic.content.SiteServing;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files a pod of a Deployment would find at its docroot, resolved the way the kubelet lays out
 * its projected ConfigMap volume (key -> path). On the mock API server, this is what the server
 * would serve.
 */
public final class ServedContent {

  private ServedContent() {}

  /** The content hash the Deployment's pods serve: its pod template's annotation. */
  public static String contentHash(Deployment deployment) {
    return deployment
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("tinystatic.dev/content-hash");
  }

  public static Map<String, String> files(
      KubernetesClient client, String namespace, String deployment) {
    Deployment found =
        client.apps().deployments().inNamespace(namespace).withName(deployment).get();
    Map<String, String> files = new TreeMap<>();
    for (var volume : found.getSpec().getTemplate().getSpec().getVolumes()) {
      if (volume.getProjected() == null) {
        continue;
      }
      for (VolumeProjection source : volume.getProjected().getSources()) {
        var ref = source.getConfigMap();
        ConfigMap configMap =
            client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
        for (var item : ref.getItems()) {
          files.put(
              item.getPath(),
              valueOf(configMap, item.getKey())
                  .orElseThrow(
                      () ->
                          new AssertionError(
                              "key " + item.getKey() + " missing in " + ref.getName())));
        }
      }
    }
    return files;
  }

  /**
   * The Deployment whose pods a Service sends visitors to: the one whose pod template carries every
   * label of the Service's selector. Exactly one, or the Service would mix two contents.
   */
  public static Deployment behindService(
      KubernetesClient client, String namespace, String service) {
    Map<String, String> selector =
        client.services().inNamespace(namespace).withName(service).get().getSpec().getSelector();
    var selected =
        client.apps().deployments().inNamespace(namespace).list().getItems().stream()
            .filter(
                d ->
                    d.getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getLabels()
                        .entrySet()
                        .containsAll(selector.entrySet()))
            .toList();
    if (selected.size() != 1) {
      throw new AssertionError(
          "Service "
              + service
              + " selects "
              + selected.stream().map(d -> d.getMetadata().getName()).toList()
              + ", not one Deployment");
    }
    return selected.get(0);
  }

  /**
   * The site files a content ConfigMap holds (its data without the server's headers file, which
   * ConfigMap delivery keeps beside them).
   */
  public static Map<String, String> siteFiles(ConfigMap content) {
    Map<String, String> files =
        new TreeMap<>(content.getData() == null ? Map.of() : content.getData());
    files.remove(SiteServing.CONFIGMAP_KEY);
    return files;
  }

  /** The headers file a content ConfigMap holds for the server. */
  public static String headersFile(ConfigMap content) {
    return content.getData().get(SiteServing.CONFIGMAP_KEY);
  }

  private static Optional<String> valueOf(ConfigMap configMap, String key) {
    if (configMap.getData() != null && configMap.getData().containsKey(key)) {
      return Optional.of(configMap.getData().get(key));
    }
    if (configMap.getBinaryData() != null && configMap.getBinaryData().containsKey(key)) {
      return Optional.of(
          new String(
              Base64.getDecoder().decode(configMap.getBinaryData().get(key)),
              StandardCharsets.ISO_8859_1));
    }
    return Optional.empty();
  }
}
