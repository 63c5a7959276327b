package dev.tinystatic.dependent;

import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteFile;
import dev.tinystatic.content.SiteServing;
import dev.tinystatic.delivery.DeliveryPlan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@code <site>-content} ConfigMap: the site's inline files, text in data, binary in
 * binaryData, and the server's headers file (key {@link SiteServing#CONFIGMAP_KEY}).
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = SiteObjects.MANAGED_SELECTOR,
            itemStore = AppliedFieldsStore.class))
public class ContentConfigMapDependent extends SiteDependent<ConfigMap> {

  public static final String NAME = "content-configmap";

  public ContentConfigMapDependent() {
    super(ConfigMap.class, SiteObjects::contentConfigMapName);
  }

  @Override
  protected ConfigMap desired(TinyStaticSite site, Context<TinyStaticSite> context) {
    return desiredConfigMap(site, DeliveryPlan.from(context).content());
  }

  public static ConfigMap desiredConfigMap(TinyStaticSite site, SiteContent content) {
    Map<String, String> data = new TreeMap<>();
    Map<String, String> binaryData = new TreeMap<>();
    for (SiteFile file : content.inlineFiles()) {
      if (file.source() == SiteFile.Source.TEXT) {
        data.put(file.key(), file.text());
      } else {
        binaryData.put(file.key(), Base64.getEncoder().encodeToString(file.bytes()));
      }
    }
    // The server's headers file, mounted outside the docroot (ConfigMap delivery).
    data.put(SiteServing.CONFIGMAP_KEY, content.serving().headersText());
    return new ConfigMapBuilder()
        .withMetadata(SiteObjects.metadata(site, SiteObjects.contentConfigMapName(site), "content"))
        .withData(data)
        .withBinaryData(binaryData)
        .build();
  }

  /**
   * Exact comparison of the files: the generic matcher accepts extra keys, which would leave a
   * deleted file (or one added by hand) in the ConfigMap. The labels and the owner must be there.
   */
  @Override
  public Matcher.Result<ConfigMap> match(
      ConfigMap actual, TinyStaticSite site, Context<TinyStaticSite> context) {
    ConfigMap desired = desired(site, context);
    boolean same =
        Objects.equals(orEmpty(desired.getData()), orEmpty(actual.getData()))
            && Objects.equals(orEmpty(desired.getBinaryData()), orEmpty(actual.getBinaryData()))
            && labelsPresent(desired, actual)
            && ownedBy(actual, site);
    return Matcher.Result.computed(same, desired);
  }

  static boolean labelsPresent(ConfigMap desired, ConfigMap actual) {
    Map<String, String> actualLabels = orEmpty(actual.getMetadata().getLabels());
    return actualLabels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
