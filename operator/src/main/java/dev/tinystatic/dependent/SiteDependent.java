package dev.tinystatic.dependent;

import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An object a site owns: created, kept as desired, and garbage-collected with the site. The site is
 * its controller owner, so {@code kubectl} and other controllers see who manages it.
 */
abstract class SiteDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, TinyStaticSite> {

  private final Function<TinyStaticSite, String> nameOf;

  SiteDependent(Class<R> type, Function<TinyStaticSite, String> nameOf) {
    super(type);
    this.nameOf = nameOf;
  }

  /** Found by name, without building the whole desired object. */
  @Override
  protected ResourceID targetSecondaryResourceID(
      TinyStaticSite site, Context<TinyStaticSite> context) {
    return new ResourceID(nameOf.apply(site), site.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(R desired, TinyStaticSite site) {
    List<io.fabric8.kubernetes.api.model.OwnerReference> owners = new ArrayList<>();
    owners.add(
        new OwnerReferenceBuilder()
            .withApiVersion(site.getApiVersion())
            .withKind(site.getKind())
            .withName(site.getMetadata().getName())
            .withUid(site.getMetadata().getUid())
            .withController(true)
            .build());
    desired.getMetadata().setOwnerReferences(owners);
  }
}
