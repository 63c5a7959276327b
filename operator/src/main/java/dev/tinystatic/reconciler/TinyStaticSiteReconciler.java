package dev.tinystatic.reconciler;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.RetiredImage;
import dev.tinystatic.api.RolloutStrategy;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.SiteRevision;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteStatus;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.content.ContentProblem;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteContentResolver;
import dev.tinystatic.delivery.DeliveryPlan;
import dev.tinystatic.delivery.DeliveryPlanner;
import dev.tinystatic.delivery.RevisionContent;
import dev.tinystatic.dependent.ContentConfigMapDependent;
import dev.tinystatic.dependent.Cutover;
import dev.tinystatic.dependent.DeploymentDependent;
import dev.tinystatic.dependent.HttpRouteDependent;
import dev.tinystatic.dependent.IngressDependent;
import dev.tinystatic.dependent.PodDisruptionBudgetDependent;
import dev.tinystatic.dependent.RollingDeploymentWanted;
import dev.tinystatic.dependent.ServiceDependent;
import dev.tinystatic.dependent.SeveralReplicas;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.image.ImageBakes;
import dev.tinystatic.image.SiteImageBaker;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.RecentOperationCacheFiller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a TinyStaticSite into its content ConfigMap, Deployment and Service, and reports in status
 * how far that got. Data flows one way: spec → validated content → delivery plan → the workflow of
 * dependents → status ({@link SiteStatusBuilder}). Invalid content leaves the running objects
 * untouched; content whose image is not baked yet leaves the pods on what they run, while the
 * site's objects are still applied.
 */
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
      @Dependent(
          name = ContentConfigMapDependent.NAME,
          type = ContentConfigMapDependent.class,
          reconcilePrecondition = RollingDeploymentWanted.class),
      @Dependent(
          name = DeploymentDependent.NAME,
          type = DeploymentDependent.class,
          dependsOn = ContentConfigMapDependent.NAME,
          reconcilePrecondition = RollingDeploymentWanted.class),
      @Dependent(name = ServiceDependent.NAME, type = ServiceDependent.class),
      @Dependent(
          name = PodDisruptionBudgetDependent.NAME,
          type = PodDisruptionBudgetDependent.class,
          reconcilePrecondition = SeveralReplicas.class),
      @Dependent(
          name = IngressDependent.NAME,
          type = IngressDependent.class,
          reconcilePrecondition = IngressDependent.Wanted.class),
      @Dependent(
          name = HttpRouteDependent.NAME,
          type = HttpRouteDependent.class,
          activationCondition = GatewayApi.Present.class,
          reconcilePrecondition = HttpRouteDependent.Wanted.class)
    })
@ControllerConfiguration(name = TinyStaticSiteReconciler.NAME)
public class TinyStaticSiteReconciler implements Reconciler<TinyStaticSite> {

  /** Retry of a failed image delete. */
  static final Duration IMAGE_DELETE_RETRY = Duration.ofSeconds(30);

  public static final String NAME = "tinystaticsite";

  private static final Logger log = LoggerFactory.getLogger(TinyStaticSiteReconciler.class);

  private final OperatorConfig config;
  private final SiteDelivery delivery;
  private final RegistryImages registryImages;
  private final SiteEvents events;
  private final Clock clock;

  /** Runs image bakes, and wakes a site up when its bake ends. */
  private final BakeEvents bakeEvents = new BakeEvents();

  /**
   * @param client the API client, for the registry Secret (JOSDK's client, once it runs)
   */
  public TinyStaticSiteReconciler(OperatorConfig config, KubernetesClient client) {
    this(config, client, Clock.systemUTC());
  }

  TinyStaticSiteReconciler(OperatorConfig config, KubernetesClient client, Clock clock) {
    this.clock = clock;
    this.config = config;
    this.events = new SiteEvents(clock);
    var bakes =
        new ImageBakes<ResourceID>(bakeEvents.executor(), bakeEvents::propagateEvent, clock);
    var credentials = RegistrySecret.credentials(config, client);
    this.delivery =
        new SiteDelivery(config, config.registry().map(SiteImageBaker::new), bakes, credentials);
    this.registryImages = new RegistryImages(config.registry(), credentials);
  }

  @Override
  public List<EventSource<?, TinyStaticSite>> prepareEventSources(
      EventSourceContext<TinyStaticSite> context) {
    return List.of(ReferencedContent.eventSource(context), bakeEvents);
  }

  @Override
  public UpdateControl<TinyStaticSite> reconcile(
      TinyStaticSite site, Context<TinyStaticSite> context) {
    var status = new SiteStatusBuilder(site, clock);
    List<Deployment> deployments = List.copyOf(context.getSecondaryResources(Deployment.class));
    SiteContent content;
    try {
      content = SiteContentResolver.resolve(site.getSpec(), ReferencedContent.of(site, context));
    } catch (ContentProblem problem) {
      // Nothing is applied: the objects running keep the last good content.
      status.invalidContent(problem.reason(), problem.getMessage(), !deployments.isEmpty());
      return update(site, context, status.replicas(wanted(site), readyReplicas(site, deployments)));
    }
    status.validContent(content);
    var decision =
        rollback(site, content, context)
            .orElseGet(
                () -> delivery.plan(site, content, servingDeployment(site, content, deployments)));
    var applied = decision.apply().map(plan -> apply(site, context, plan, status, deployments));
    int ready =
        applied.map(AppliedRevision::readyReplicas).orElse(readyReplicas(site, deployments));
    decision
        .pending()
        .ifPresentOrElse(
            problem -> status.notReady(problem.reason(), problem.getMessage()),
            () ->
                status.rollout(
                    applied
                        .map(AppliedRevision::rollout)
                        .orElseGet(
                            () ->
                                Rollout.of(
                                    deployment(site, deployments), content.hash(), wanted(site)))));
    SiteExposure.report(site, context, status);
    var control = update(site, context, status.replicas(wanted(site), ready));
    decision
        .pending()
        .flatMap(DeliveryProblem::retryAfter)
        .or(() -> applied.flatMap(AppliedRevision::recheckIn))
        .ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * How the applied revision rolls out.
   *
   * @param rollout the Ready condition's view
   * @param readyReplicas pods ready that visitors get
   * @param recheckIn when to look again though nothing changes (the end of a drain)
   */
  private record AppliedRevision(
      Rollout rollout, int readyReplicas, Optional<Duration> recheckIn) {}

  /**
   * Applies the site's objects as {@code plan} has them; reports what the pods serve. Atomic: the
   * revision's Deployment first, then the Service moves to it once it is ready ({@link
   * AtomicCutover}).
   */
  private AppliedRevision apply(
      TinyStaticSite site,
      Context<TinyStaticSite> context,
      DeliveryPlan plan,
      SiteStatusBuilder status,
      List<Deployment> deployments) {
    plan.storeIn(context);
    Optional<AtomicCutover.Outcome> atomic = Optional.empty();
    var cutover = new AtomicCutover(site, context.getClient(), deploymentCache(context), clock);
    if (site.getSpec().strategyOrDefault() == RolloutStrategy.Atomic) {
      var outcome = cutover.run(plan, deployments, context.getSecondaryResource(Service.class));
      outcome.cutover().storeIn(context);
      atomic = Optional.of(outcome);
    } else {
      Cutover.ROLLING.storeIn(context);
    }
    var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    if (result.erroredDependentsExist()) {
      throw ApplyFailure.of(result.getErroredDependents(), site, context.getClient());
    }
    if (plan.current()) {
      status.serving(plan, SiteExposure.url(site));
    }
    if (atomic.isEmpty()) {
      // As the workflow left it (JOSDK caches what it wrote).
      List<Deployment> applied = List.copyOf(context.getSecondaryResources(Deployment.class));
      Rollout rollout =
          Rollout.of(deployment(site, applied), plan.revision().contentHash(), wanted(site));
      List<SiteRevision> history = previousRevisions(site);
      if (rollout.complete()) {
        cutover.removeRevisions(applied);
        // An image rolled in joins the history, so the one it replaces is retired (and deleted
        // after the grace period) rather than left in the registry.
        if (plan.revision().baked().isPresent() && !isNewest(history, plan)) {
          history = withNewest(history, plan, site);
        }
      }
      // Rolling: no revision is live or pending by name; the history stays.
      status.revisions(Optional.empty(), Optional.empty(), history);
      return new AppliedRevision(
          rollout, readyReplicas(site, applied), retireImages(site, context, status, history));
    }
    var outcome = atomic.get();
    List<SiteRevision> history = previousRevisions(site);
    if (outcome.wentLive()) {
      history = withNewest(history, plan, site);
      if (plan.revision().delivery() == Delivery.ConfigMap) {
        Set<String> kept = new HashSet<>();
        history.forEach(r -> kept.add(SiteObjects.revisionOf(r.getContentHash())));
        kept.add(SiteObjects.revisionOf(plan.revision().contentHash()));
        cutover.pruneConfigMaps(context.getSecondaryResourcesAsStream(ConfigMap.class), kept);
      }
    }
    status.revisions(outcome.liveRevision(), outcome.pendingRevision(), history);
    Optional<Duration> imagesDue = retireImages(site, context, status, history);
    Rollout rollout = outcome.rollout();
    if (!plan.current() && rollout.complete()) {
      rollout =
          new Rollout(
              true,
              rollout.readyReplicas(),
              rollout.reason(),
              rollout.message()
                  + " (rolled back by spec.revision; clear it to serve the files of the spec)");
    }
    return new AppliedRevision(
        rollout, outcome.readyReplicas(), earliest(outcome.recheckIn(), imagesDue));
  }

  private static List<SiteRevision> previousRevisions(TinyStaticSite site) {
    return Optional.ofNullable(site.getStatus())
        .map(TinyStaticSiteStatus::getRevisions)
        .orElse(List.of());
  }

  private static boolean isNewest(List<SiteRevision> history, DeliveryPlan plan) {
    return !history.isEmpty()
        && plan.revision().contentHash().equals(history.get(0).getContentHash());
  }

  /** The history with the plan's revision gone live now, {@code keepRevisions} long. */
  private List<SiteRevision> withNewest(
      List<SiteRevision> history, DeliveryPlan plan, TinyStaticSite site) {
    return AtomicCutover.history(
        history,
        new SiteRevision(
            plan.revision().contentHash(),
            plan.revision().baked().map(BakedImage::pullReference).orElse(null),
            Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString()),
        site.getSpec().keepRevisionsOrDefault());
  }

  /**
   * Image delivery: images that left {@code status.revisions} are deleted from the registry after
   * the site's grace period; a registry refusing deletes gets a Warning and a status note once.
   *
   * @return when the next image is due
   */
  private Optional<Duration> retireImages(
      TinyStaticSite site,
      Context<TinyStaticSite> context,
      SiteStatusBuilder status,
      List<SiteRevision> history) {
    Optional<TinyStaticSiteStatus> previous = Optional.ofNullable(site.getStatus());
    List<RetiredImage> retired =
        new java.util.ArrayList<>(
            previous.map(TinyStaticSiteStatus::getRetiredImages).orElse(List.of()));
    String note = previous.map(TinyStaticSiteStatus::getRegistryCleanup).orElse(null);
    Instant now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
    String deleteAfter = now.plusSeconds(site.getSpec().imageGraceSecondsOrDefault()).toString();
    RegistryImages.dropped(
            previous.map(TinyStaticSiteStatus::getRevisions).orElse(List.of()), history)
        .stream()
        .filter(image -> retired.stream().noneMatch(r -> image.equals(r.getImage())))
        .forEach(image -> retired.add(new RetiredImage(image, deleteAfter)));
    List<RetiredImage> due = RegistryImages.due(retired, now);
    Optional<Duration> retry = Optional.empty();
    if (!due.isEmpty() && registryImages.configured()) {
      var result = registryImages.delete(site, due.stream().map(RetiredImage::getImage).toList());
      if (result instanceof RegistryImages.Done) {
        retired.removeAll(due);
        note = null;
      } else if (result instanceof RegistryImages.Disabled disabled) {
        // Retrying will not help: say it once, and forget these images.
        retired.removeAll(due);
        if (!disabled.message().equals(note)) {
          events.record(
              context.getClient(),
              site,
              new SiteEvent(true, SiteConditions.REGISTRY_DELETES_DISABLED, disabled.message()));
        }
        note = disabled.message();
      } else if (result instanceof RegistryImages.Failed failed) {
        note = "deleting old images failed (retrying): " + failed.message();
        retry = Optional.of(IMAGE_DELETE_RETRY);
      }
    }
    status.retiredImages(retired, note);
    return retry.or(() -> RegistryImages.nextIn(retired, now));
  }

  private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
  }

  /**
   * spec.revision names a revision other than the spec's content: the plan that serves it, or why
   * it cannot be served. Empty when no rollback is asked for.
   */
  private Optional<SiteDelivery.Decision> rollback(
      TinyStaticSite site, SiteContent content, Context<TinyStaticSite> context) {
    Optional<String> asked =
        site.getSpec().rollbackRevision().filter(hash -> !hash.equals(content.hash()));
    if (asked.isEmpty()) {
      return Optional.empty();
    }
    String hash = asked.get();
    Optional<SiteRevision> known =
        Optional.ofNullable(site.getStatus())
            .map(TinyStaticSiteStatus::getRevisions)
            .orElse(List.of())
            .stream()
            .filter(r -> hash.equals(r.getContentHash()))
            .findFirst();
    Optional<DeliveryPlan> plan =
        known.flatMap(
            revision ->
                DeliveryPlanner.rollback(
                    site,
                    content,
                    config,
                    revision,
                    revision.getImage() != null
                        ? Optional.empty()
                        : revisionConfigMapKeys(site, hash, context)));
    if (plan.isPresent()) {
      return Optional.of(new SiteDelivery.Decision(plan, Optional.empty()));
    }
    return Optional.of(
        new SiteDelivery.Decision(
            Optional.empty(),
            Optional.of(
                new DeliveryProblem(
                    SiteConditions.REVISION_NOT_FOUND,
                    "spec.revision "
                        + Rollout.shortHash(hash)
                        + (known.isEmpty()
                            ? " is not in status.revisions"
                            : " has lost its content ConfigMap")
                        + "; the pods keep serving what they serve",
                    Optional.empty()))));
  }

  /** A rollback's revision ConfigMap's keys (read when asked for: rollbacks are rare). */
  private static Optional<java.util.Map<String, String>> revisionConfigMapKeys(
      TinyStaticSite site, String hash, Context<TinyStaticSite> context) {
    return Optional.ofNullable(
            context
                .getClient()
                .configMaps()
                .inNamespace(site.getMetadata().getNamespace())
                .withName(SiteObjects.revisionConfigMapName(site, hash))
                .get())
        .map(
            configMap -> {
              List<String> keys = new java.util.ArrayList<>();
              Optional.ofNullable(configMap.getData()).ifPresent(d -> keys.addAll(d.keySet()));
              Optional.ofNullable(configMap.getBinaryData())
                  .ifPresent(d -> keys.addAll(d.keySet()));
              return RevisionContent.items(keys);
            });
  }

  @Override
  public ErrorStatusUpdateControl<TinyStaticSite> updateErrorStatus(
      TinyStaticSite site, Context<TinyStaticSite> context, Exception e) {
    // JOSDK (and its metrics) may wrap what reconcile threw.
    Throwable failure = ApplyFailure.find(e).map(Throwable.class::cast).orElse(e);
    String reason =
        failure instanceof ApplyFailure applyFailure
            ? applyFailure.reason()
            : SiteConditions.RECONCILE_ERROR;
    String message = Objects.toString(failure.getMessage(), failure.toString());
    if (failure instanceof KubernetesClientException conflict
        && conflict.getCode() == HttpURLConnection.HTTP_CONFLICT
        && conflict.getStatus() != null
        && "Conflict".equals(conflict.getStatus().getReason())) {
      // An object changed while this ran (an edit, the image cleaner's finalizer on the site):
      // nothing is wrong, and the retry works from the newer one. (A name already taken is
      // "AlreadyExists", reported below.)
      log.debug("site {}: conflict, retrying: {}", site.getMetadata().getName(), message);
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    if (failure instanceof ApplyFailure) {
      log.warn(
          "site {}/{}: {}",
          site.getMetadata().getNamespace(),
          site.getMetadata().getName(),
          message);
    } else { // unexpected: the stack trace says where
      log.warn(
          "site {}/{}: {}",
          site.getMetadata().getNamespace(),
          site.getMetadata().getName(),
          message,
          failure);
    }
    var status =
        new SiteStatusBuilder(site, clock)
            .notReady(reason, message)
            .replicas(
                wanted(site),
                readyReplicas(site, List.copyOf(context.getSecondaryResources(Deployment.class))));
    try {
      write(site, context, status);
    } catch (RuntimeException writeFailed) {
      // The retry of the reconciliation writes the status again.
      log.debug("site {}: status not written: {}", site.getMetadata().getName(), writeFailed);
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private UpdateControl<TinyStaticSite> update(
      TinyStaticSite site, Context<TinyStaticSite> context, SiteStatusBuilder status) {
    write(site, context, status);
    return UpdateControl.noUpdate();
  }

  /**
   * Writes the status when it changed, after recording the events its change is worth, and keeps
   * what the API server answered in JOSDK's cache of sites. JOSDK's own status patch ({@link
   * UpdateControl#patchStatus}) does not: a reconciliation woken by a Deployment's event before the
   * site's own arrives would see the status before this write and write it again. With server-side
   * apply the write is conditional on the site's resourceVersion (on a conflict JOSDK waits for the
   * newer site in its cache and writes again).
   */
  private void write(
      TinyStaticSite site, Context<TinyStaticSite> context, SiteStatusBuilder status) {
    var update = status.build();
    update.events().forEach(event -> events.record(context.getClient(), site, event));
    update
        .status()
        .ifPresent(
            changed -> {
              if (context
                  .getControllerConfiguration()
                  .getConfigurationService()
                  .useSSAToPatchPrimaryResource()) {
                PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
                    site, withStatus(site, changed), context);
              } else {
                // A JSON patch of the status alone, as JOSDK makes it, without a resourceVersion:
                // with one (JOSDK's patchStatusAndCacheResource) a real API server refused every
                // site's first write and JOSDK's wait for a newer version timed out (scale bench
                // with TINYSTATIC_SERVER_SIDE_APPLY=false). The cache takes the answer only while
                // the informer still holds the version this reconciliation started from.
                TinyStaticSite unversioned =
                    context
                        .getControllerConfiguration()
                        .getConfigurationService()
                        .getResourceCloner()
                        .clone(site);
                unversioned.getMetadata().setResourceVersion(null);
                TinyStaticSite updated =
                    context
                        .getClient()
                        .resource(unversioned)
                        .editStatus(
                            s -> {
                              s.setStatus(changed);
                              return s;
                            });
                context
                    .eventSourceRetriever()
                    .getControllerEventSource()
                    .handleRecentResourceUpdate(ResourceID.fromResource(site), updated, site);
              }
            });
  }

  /**
   * The Deployment informer, to be told of the revision Deployments {@link AtomicCutover} writes.
   */
  @SuppressWarnings("unchecked")
  private static RecentOperationCacheFiller<Deployment> deploymentCache(
      Context<TinyStaticSite> context) {
    return (RecentOperationCacheFiller<Deployment>)
        context.eventSourceRetriever().getEventSourceFor(Deployment.class);
  }

  /** Only name and status: patching status must not carry (or fight over) anything else. */
  private static TinyStaticSite withStatus(TinyStaticSite site, TinyStaticSiteStatus status) {
    var patch = new TinyStaticSite();
    patch.getMetadata().setName(site.getMetadata().getName());
    patch.getMetadata().setNamespace(site.getMetadata().getNamespace());
    patch.setStatus(status);
    return patch;
  }

  private static int wanted(TinyStaticSite site) {
    return site.getSpec().replicasOrDefault();
  }

  /** The Deployment whose pods visitors get: the rolled one, else the live revision's. */
  private static Optional<Deployment> deployment(
      TinyStaticSite site, List<Deployment> deployments) {
    String name =
        Optional.ofNullable(site.getStatus())
            .map(TinyStaticSiteStatus::getLiveRevision)
            .filter(r -> site.getSpec().strategyOrDefault() == RolloutStrategy.Atomic)
            .map(r -> site.getMetadata().getName() + "-" + r)
            .orElse(SiteObjects.deploymentName(site));
    return named(deployments, name).or(() -> named(deployments, SiteObjects.deploymentName(site)));
  }

  /** The Deployment that may already run {@code content}'s image (found again after a restart). */
  private static Optional<Deployment> servingDeployment(
      TinyStaticSite site, SiteContent content, List<Deployment> deployments) {
    return named(deployments, SiteObjects.revisionDeploymentName(site, content.hash()))
        .or(() -> deployment(site, deployments));
  }

  private static Optional<Deployment> named(List<Deployment> deployments, String name) {
    return deployments.stream().filter(d -> name.equals(d.getMetadata().getName())).findFirst();
  }

  private static int readyReplicas(TinyStaticSite site, List<Deployment> deployments) {
    return deployment(site, deployments)
        .map(Deployment::getStatus)
        .map(DeploymentStatus::getReadyReplicas)
        .orElse(0);
  }
}
