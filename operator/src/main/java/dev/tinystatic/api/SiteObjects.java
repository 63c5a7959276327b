package dev.tinystatic.api;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and labels of the objects a site owns; one place so every part agrees. */
public final class SiteObjects {

  public static final String NAME_LABEL = "app.kubernetes.io/name";
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

  public static final String APP_NAME = "tinystatic";
  public static final String MANAGER = "tinystatic-operator";

  /** On every Image site: its images are deleted from the registry before it goes. */
  public static final String FINALIZER = "tinystatic.dev/registry-cleanup";

  /** Selects every object the operator manages (its dependents' informers watch only these). */
  public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGER;

  /**
   * The label a user's ConfigMap carries to be usable as spec.contentFrom: the operator watches
   * only these, not every ConfigMap in the cluster (whose data it would all hold in memory).
   */
  public static final String CONTENT_LABEL = "tinystatic.dev/content";

  public static final String CONTENT_SELECTOR = CONTENT_LABEL + "=true";

  /** Pod template annotation whose change rolls the pods when the content changes. */
  public static final String CONTENT_HASH_ANNOTATION = "tinystatic.dev/content-hash";

  /** Deployment annotation: the key of the baked image it runs (Image delivery). */
  public static final String IMAGE_KEY_ANNOTATION = "tinystatic.dev/image-key";

  /**
   * Atomic rollout: the content revision (short hash) of a Deployment, its pods and its content
   * ConfigMap; the Service selects the live revision's pods by it.
   */
  public static final String REVISION_LABEL = "tinystatic.dev/revision";

  /** Hex digits of the content hash in revision names and labels. */
  static final int REVISION_DIGITS = 12;

  private SiteObjects() {}

  /** The short name of a content revision: {@code sha256:abcdef...} gives {@code abcdef012345}. */
  public static String revisionOf(String contentHash) {
    String hex = contentHash.substring(contentHash.indexOf(':') + 1);
    return hex.substring(0, Math.min(REVISION_DIGITS, hex.length()));
  }

  /** Atomic rollout: the Deployment of one content revision. */
  public static String revisionDeploymentName(TinyStaticSite site, String contentHash) {
    return site.getMetadata().getName() + "-" + revisionOf(contentHash);
  }

  /** Atomic rollout: the immutable ConfigMap holding one content revision (ConfigMap delivery). */
  public static String revisionConfigMapName(TinyStaticSite site, String contentHash) {
    return contentConfigMapName(site) + "-" + revisionOf(contentHash);
  }

  /** The site's pods as a label selector string (status.selector, for the scale subresource). */
  public static String podSelector(TinyStaticSite site) {
    return String.join(
        ",",
        selectorLabels(site).entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .toList());
  }

  /** The name of the site's object of {@code type} (ConfigMap, Deployment or Service). */
  public static String nameOf(Class<?> type, TinyStaticSite site) {
    if (type == io.fabric8.kubernetes.api.model.ConfigMap.class) {
      return contentConfigMapName(site);
    }
    if (type == io.fabric8.kubernetes.api.model.apps.Deployment.class) {
      return deploymentName(site);
    }
    if (type == io.fabric8.kubernetes.api.model.Service.class) {
      return serviceName(site);
    }
    if (type == io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class) {
      return podDisruptionBudgetName(site);
    }
    throw new IllegalArgumentException("a site owns no " + type.getSimpleName());
  }

  public static String contentConfigMapName(TinyStaticSite site) {
    return site.getMetadata().getName() + "-content";
  }

  public static String deploymentName(TinyStaticSite site) {
    return site.getMetadata().getName();
  }

  public static String podDisruptionBudgetName(TinyStaticSite site) {
    return site.getMetadata().getName();
  }

  public static String serviceName(TinyStaticSite site) {
    return site.getMetadata().getName();
  }

  /** Labels that pick exactly this site's pods: the Service selector and Deployment selector. */
  public static Map<String, String> selectorLabels(TinyStaticSite site) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME_LABEL, APP_NAME);
    labels.put(INSTANCE_LABEL, site.getMetadata().getName());
    labels.put(MANAGED_BY_LABEL, MANAGER);
    return labels;
  }

  /** Labels on every owned object and pod. */
  public static Map<String, String> labels(TinyStaticSite site, String component) {
    Map<String, String> labels = selectorLabels(site);
    labels.put(COMPONENT_LABEL, component);
    return labels;
  }

  public static ObjectMeta metadata(TinyStaticSite site, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(site.getMetadata().getNamespace())
        .withLabels(labels(site, component))
        .build();
  }
}
