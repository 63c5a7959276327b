package dev.tinystatic.dependent;

import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteFile;
import dev.tinystatic.content.SitePath;
import dev.tinystatic.content.SiteServing;
import dev.tinystatic.delivery.RevisionContent;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Atomic rollout with ConfigMap delivery: the immutable {@code <site>-content-<revision>} ConfigMap
 * of one revision ({@link RevisionContent}). Text files in data, the others in binaryData, and the
 * server's headers file (key {@link SiteServing#CONFIGMAP_KEY}).
 */
public final class RevisionConfigMaps {

  private RevisionConfigMaps() {}

  public static ConfigMap desired(TinyStaticSite site, SiteContent content) {
    Map<String, String> data = new TreeMap<>();
    Map<String, String> binaryData = new TreeMap<>();
    for (SiteFile file : content.files()) {
      String key = SitePath.toKey(file.path());
      if (file.source() == SiteFile.Source.TEXT) {
        data.put(key, file.text());
      } else {
        binaryData.put(key, Base64.getEncoder().encodeToString(file.bytes()));
      }
    }
    // The server's headers file, mounted outside the docroot: the revision's own.
    data.put(SiteServing.CONFIGMAP_KEY, content.serving().headersText());
    var metadata =
        SiteObjects.metadata(
            site, SiteObjects.revisionConfigMapName(site, content.hash()), "content");
    metadata.getLabels().put(SiteObjects.REVISION_LABEL, SiteObjects.revisionOf(content.hash()));
    return new ConfigMapBuilder()
        .withMetadata(metadata)
        .withImmutable(true)
        .withData(data)
        .withBinaryData(binaryData)
        .build();
  }
}
