package dev.tinystatic.dependent;

import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * An object a site owns: created, kept as desired, and garbage-collected with the site. The site is
 * its controller owner, so {@code kubectl} and other controllers see who manages it, and an owner
 * reference removed by hand is put back (without it, deleting the site would orphan the object).
 */
abstract class SiteDependent<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, TinyStaticSite>
    implements SecondaryToPrimaryMapper<R> {

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

  /**
   * The site an object belongs to, by its instance label rather than its owner reference: an object
   * whose owner reference was removed still wakes its site up, which restores it.
   */
  @Override
  public Set<ResourceID> toPrimaryResourceIDs(R object) {
    var labels = object.getMetadata().getLabels();
    String site = labels == null ? null : labels.get(SiteObjects.INSTANCE_LABEL);
    return site == null
        ? Set.of()
        : Set.of(new ResourceID(site, object.getMetadata().getNamespace()));
  }

  @Override
  public Matcher.Result<R> match(R actual, TinyStaticSite site, Context<TinyStaticSite> context) {
    Matcher.Result<R> result = super.match(actual, site, context);
    if (ownedBy(actual, site)) {
      return result;
    }
    return Matcher.Result.computed(
        false, result.computedDesired().orElseGet(() -> desired(site, context)));
  }

  /**
   * A plain update keeps the live object's metadata, owner references included (server-side apply
   * sets them from the desired object): put the site back among its owners.
   */
  @Override
  public R update(R actual, R desired, TinyStaticSite site, Context<TinyStaticSite> context) {
    R owned =
        context
            .getControllerConfiguration()
            .getConfigurationService()
            .getResourceCloner()
            .clone(actual);
    List<OwnerReference> owners = new ArrayList<>();
    owners.add(ownerReference(site));
    actual.getMetadata().getOwnerReferences().stream()
        .filter(owner -> !site.getMetadata().getUid().equals(owner.getUid()))
        .forEach(owners::add);
    owned.getMetadata().setOwnerReferences(owners);
    // The cache keeps only the apply entries (AppliedFieldsStore): a plain update that sent them
    // would replace the object's managedFields with them; without any, the API server keeps its
    // own.
    owned.getMetadata().setManagedFields(null);
    return super.update(owned, desired, site, context);
  }

  @Override
  protected void addReferenceHandlingMetadata(R desired, TinyStaticSite site) {
    desired.getMetadata().setOwnerReferences(new ArrayList<>(List.of(ownerReference(site))));
  }

  /** Whether the site is the object's controller owner. */
  static boolean ownedBy(HasMetadata object, TinyStaticSite site) {
    return object.getMetadata().getOwnerReferences().stream()
        .anyMatch(
            owner ->
                site.getMetadata().getUid().equals(owner.getUid())
                    && Boolean.TRUE.equals(owner.getController()));
  }

  private static OwnerReference ownerReference(TinyStaticSite site) {
    return new OwnerReferenceBuilder()
        .withApiVersion(site.getApiVersion())
        .withKind(site.getKind())
        .withName(site.getMetadata().getName())
        .withUid(site.getMetadata().getUid())
        .withController(true)
        .build();
  }
}
