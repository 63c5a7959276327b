package dev.tinystatic.delivery;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteFile;
import dev.tinystatic.content.SiteServing;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ConfigMap delivery: the generic server image mounts the site's files read-only at the docroot,
 * from the content ConfigMap and the user's referenced ConfigMap, projected into one directory.
 * Each key is mapped back to its nested path, so the server sees the site's real layout.
 */
final class ConfigMapDelivery {

  static final String VOLUME = "content";

  /** The headers file, from the content ConfigMap too, outside the docroot. */
  static final String SERVING_VOLUME = "serving";

  /** Read-only for everyone: the server runs as a non-root user and only reads. */
  private static final int READ_ONLY_MODE = 0444;

  private ConfigMapDelivery() {}

  static Revision revision(
      TinyStaticSite site, SiteContent content, String serverImage, List<String> pullSecrets) {
    List<VolumeProjection> sources = new ArrayList<>();
    List<SiteFile> inline = content.inlineFiles();
    if (!inline.isEmpty()) {
      sources.add(configMapSource(SiteObjects.contentConfigMapName(site), inline));
    }
    List<SiteFile> referenced = content.referencedFiles();
    if (!referenced.isEmpty()) {
      sources.add(configMapSource(content.referencedConfigMap().orElseThrow(), referenced));
    }
    return revision(
        site,
        content.hash(),
        sources,
        SiteObjects.contentConfigMapName(site),
        content.serving(),
        serverImage,
        pullSecrets);
  }

  /**
   * Atomic rollout: the pods mount the revision's own immutable ConfigMap ({@link
   * RevisionContent}).
   *
   * @param items key to path of each file in it
   * @param serving the spec's serving settings (the headers file is the revision's own)
   */
  static Revision revisionCopy(
      TinyStaticSite site,
      String contentHash,
      Map<String, String> items,
      SiteServing serving,
      String serverImage,
      List<String> pullSecrets) {
    var source =
        new VolumeProjectionBuilder()
            .withNewConfigMap()
            .withName(SiteObjects.revisionConfigMapName(site, contentHash))
            .withItems(
                items.entrySet().stream()
                    .map(e -> new KeyToPath(e.getKey(), null, e.getValue()))
                    .toList())
            .endConfigMap()
            .build();
    return revision(
        site,
        contentHash,
        List.of(source),
        SiteObjects.revisionConfigMapName(site, contentHash),
        serving,
        serverImage,
        pullSecrets);
  }

  /**
   * @param servingConfigMap the ConfigMap whose {@link SiteServing#CONFIGMAP_KEY} is the headers
   *     file
   */
  private static Revision revision(
      TinyStaticSite site,
      String contentHash,
      List<VolumeProjection> sources,
      String servingConfigMap,
      SiteServing serving,
      String serverImage,
      List<String> pullSecrets) {
    var volume =
        new VolumeBuilder()
            .withName(VOLUME)
            .withNewProjected()
            .withDefaultMode(READ_ONLY_MODE)
            .withSources(sources)
            .endProjected()
            .build();
    var mount =
        new VolumeMountBuilder()
            .withName(VOLUME)
            .withMountPath(Revision.DOCROOT)
            .withReadOnly(true)
            .build();
    var servingVolume =
        new VolumeBuilder()
            .withName(SERVING_VOLUME)
            .withNewConfigMap()
            .withName(servingConfigMap)
            .withDefaultMode(READ_ONLY_MODE)
            .withItems(
                new KeyToPath(SiteServing.CONFIGMAP_KEY, null, SiteServing.HEADERS_FILE_NAME))
            .endConfigMap()
            .build();
    var servingMount =
        new VolumeMountBuilder()
            .withName(SERVING_VOLUME)
            .withMountPath(SiteServing.HEADERS_DIRECTORY)
            .withReadOnly(true)
            .build();
    List<String> args = new ArrayList<>(List.of("-p", port(site), "-d", Revision.DOCROOT));
    args.addAll(serving.args(SiteServing.HEADERS_PATH));
    return new Revision(
        contentHash,
        Delivery.ConfigMap,
        serverImage,
        List.of(volume, servingVolume),
        List.of(mount, servingMount),
        pullSecrets,
        Optional.empty(),
        args);
  }

  private static String port(TinyStaticSite site) {
    return Integer.toString(site.getSpec().portOrDefault());
  }

  private static VolumeProjection configMapSource(String configMap, List<SiteFile> files) {
    List<KeyToPath> items =
        files.stream().map(f -> new KeyToPath(f.key(), null, f.path())).toList();
    return new VolumeProjectionBuilder()
        .withNewConfigMap()
        .withName(configMap)
        .withItems(items)
        .endConfigMap()
        .build();
  }
}
