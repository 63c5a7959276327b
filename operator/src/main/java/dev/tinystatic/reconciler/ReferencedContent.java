package dev.tinystatic.reconciler;

import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteSpec;
import dev.tinystatic.dependent.AppliedFieldsStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The users' ConfigMaps that sites read through spec.contentFrom: watched (only those labelled
 * {@link SiteObjects#CONTENT_SELECTOR}, not every ConfigMap of the cluster), so that an edit rolls
 * every site that references it.
 */
final class ReferencedContent {

  /** The informer's name. */
  static final String NAME = "referenced-content";

  private static final String BY_REFERENCED_CONFIGMAP = "by-referenced-configmap";

  private ReferencedContent() {}

  static InformerEventSource<ConfigMap, TinyStaticSite> eventSource(
      EventSourceContext<TinyStaticSite> context) {
    context
        .getPrimaryCache()
        .addIndexer(
            BY_REFERENCED_CONFIGMAP,
            site -> referencedConfigMap(site).map(id -> List.of(indexKey(id))).orElse(List.of()));
    var configuration =
        InformerEventSourceConfiguration.from(ConfigMap.class, TinyStaticSite.class)
            .withName(NAME)
            .withNamespacesInheritedFromController()
            .withLabelSelector(SiteObjects.CONTENT_SELECTOR)
            .withItemStore(new AppliedFieldsStore<>())
            .withSecondaryToPrimaryMapper(
                configMap ->
                    context
                        .getPrimaryCache()
                        .byIndex(
                            BY_REFERENCED_CONFIGMAP, indexKey(ResourceID.fromResource(configMap)))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withPrimaryToSecondaryMapper(
                (TinyStaticSite site) -> referencedConfigMap(site).map(Set::of).orElse(Set.of()))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /**
   * The ConfigMap of spec.contentFrom: from the informer, which holds only labelled ConfigMaps;
   * when it is not there, read once to tell a missing ConfigMap from an unlabelled one.
   */
  static Optional<ConfigMap> of(TinyStaticSite site, Context<TinyStaticSite> context) {
    Optional<ConfigMap> watched = context.getSecondaryResource(ConfigMap.class, NAME);
    if (watched.isPresent()) {
      return watched;
    }
    return site.getSpec()
        .referencedConfigMapName()
        .map(
            name ->
                context
                    .getClient()
                    .configMaps()
                    .inNamespace(site.getMetadata().getNamespace())
                    .withName(name)
                    .get());
  }

  private static Optional<ResourceID> referencedConfigMap(TinyStaticSite site) {
    return Optional.ofNullable(site.getSpec())
        .flatMap(TinyStaticSiteSpec::referencedConfigMapName)
        .map(name -> new ResourceID(name, site.getMetadata().getNamespace()));
  }

  private static String indexKey(ResourceID id) {
    return id.getNamespace().orElse("") + "/" + id.getName();
  }
}
