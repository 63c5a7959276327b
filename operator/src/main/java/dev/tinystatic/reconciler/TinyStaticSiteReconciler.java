package dev.tinystatic.reconciler;

import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteSpec;
import dev.tinystatic.api.TinyStaticSiteStatus;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.content.ContentProblem;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteContentResolver;
import dev.tinystatic.delivery.DeliveryPlan;
import dev.tinystatic.dependent.ContentConfigMapDependent;
import dev.tinystatic.dependent.DeploymentDependent;
import dev.tinystatic.dependent.ServiceDependent;
import dev.tinystatic.image.ImageBakes;
import dev.tinystatic.image.SiteImageBaker;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a TinyStaticSite into its content ConfigMap, Deployment and Service, and reports in status
 * how far that got. Data flows one way: spec → validated content → plan → the workflow of
 * dependents → status. A spec that cannot be served leaves the running objects untouched.
 */
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
      @Dependent(name = ContentConfigMapDependent.NAME, type = ContentConfigMapDependent.class),
      @Dependent(
          name = DeploymentDependent.NAME,
          type = DeploymentDependent.class,
          dependsOn = ContentConfigMapDependent.NAME),
      @Dependent(name = ServiceDependent.NAME, type = ServiceDependent.class)
    })
@ControllerConfiguration(name = TinyStaticSiteReconciler.NAME)
public class TinyStaticSiteReconciler implements Reconciler<TinyStaticSite> {

  public static final String NAME = "tinystaticsite";

  /** The informer on the users' ConfigMaps that sites read through spec.contentFrom. */
  static final String REFERENCED_CONTENT = "referenced-content";

  private static final String BY_REFERENCED_CONFIGMAP = "by-referenced-configmap";
  private static final Set<String> PROGRESS_REASONS = Set.of("Creating", "RollingOut", "Baking");
  private static final Logger log = LoggerFactory.getLogger(TinyStaticSiteReconciler.class);

  private final SiteDelivery planner;
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
    this.events = new SiteEvents(clock);
    var bakes =
        new ImageBakes<ResourceID>(bakeEvents.executor(), bakeEvents::propagateEvent, clock);
    this.planner =
        new SiteDelivery(
            config,
            config.registry().map(SiteImageBaker::new),
            bakes,
            RegistrySecret.credentials(config, client));
  }

  @Override
  public List<EventSource<?, TinyStaticSite>> prepareEventSources(
      EventSourceContext<TinyStaticSite> context) {
    context
        .getPrimaryCache()
        .addIndexer(
            BY_REFERENCED_CONFIGMAP,
            site -> referencedConfigMap(site).map(id -> List.of(indexKey(id))).orElse(List.of()));
    var referencedContent =
        InformerEventSourceConfiguration.from(ConfigMap.class, TinyStaticSite.class)
            .withName(REFERENCED_CONTENT)
            .withNamespacesInheritedFromController()
            .withLabelSelector(SiteObjects.CONTENT_SELECTOR)
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
    return List.of(new InformerEventSource<>(referencedContent, context), bakeEvents);
  }

  @Override
  public UpdateControl<TinyStaticSite> reconcile(
      TinyStaticSite site, Context<TinyStaticSite> context) {
    SiteContent content;
    try {
      content = SiteContentResolver.resolve(site.getSpec(), referencedContent(site, context));
    } catch (ContentProblem problem) {
      return reportProblem(site, context, SiteProblem.of(problem), Optional.empty());
    }
    DeliveryPlan plan;
    try {
      plan = planner.plan(site, content, context.getSecondaryResource(Deployment.class));
    } catch (SiteProblem problem) {
      return reportProblem(site, context, problem, Optional.of(content));
    }
    plan.storeIn(context);
    var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    if (result.erroredDependentsExist()) {
      throw ApplyFailure.of(result.getErroredDependents(), site, context.getClient());
    }
    return reportServing(site, context, plan);
  }

  @Override
  public ErrorStatusUpdateControl<TinyStaticSite> updateErrorStatus(
      TinyStaticSite site, Context<TinyStaticSite> context, Exception e) {
    // JOSDK (and its metrics) may wrap what reconcile threw.
    Throwable failure = ApplyFailure.find(e).map(Throwable.class::cast).orElse(e);
    String reason =
        failure instanceof ApplyFailure applyFailure ? applyFailure.reason() : "ReconcileError";
    String message = Objects.toString(failure.getMessage(), failure.toString());
    log.warn(
        "site {}/{}: {}", site.getMetadata().getNamespace(), site.getMetadata().getName(), message);
    TinyStaticSiteStatus status = carriedOver(site);
    Condition ready = condition(site, SiteConditions.READY, false, reason, message);
    status.setConditions(
        contentCondition(site)
            .map(content -> SiteConditions.list(content, ready))
            .orElseGet(() -> SiteConditions.list(ready)));
    fillReplicas(status, site, context);
    return changed(site, status, context)
        ? ErrorStatusUpdateControl.patchStatus(withStatus(site, status))
        : ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * The ConfigMap of spec.contentFrom: from the informer, which holds only labelled ConfigMaps;
   * when it is not there, read once to tell a missing ConfigMap from an unlabelled one.
   */
  private static Optional<ConfigMap> referencedContent(
      TinyStaticSite site, Context<TinyStaticSite> context) {
    Optional<ConfigMap> watched = context.getSecondaryResource(ConfigMap.class, REFERENCED_CONTENT);
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

  /**
   * The spec cannot be served as it is (yet): say why, and leave the running site alone.
   *
   * @param content the site's content when it is valid (the problem is in delivering it)
   */
  private UpdateControl<TinyStaticSite> reportProblem(
      TinyStaticSite site,
      Context<TinyStaticSite> context,
      SiteProblem problem,
      Optional<SiteContent> content) {
    Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class);
    String message =
        problem.getMessage()
            + (problem.contentAtFault() && deployment.isPresent()
                ? "; the pods keep serving the previous content"
                : "");
    TinyStaticSiteStatus status = carriedOver(site);
    Condition ready = condition(site, SiteConditions.READY, false, problem.reason(), message);
    Optional<Condition> contentCondition =
        problem.contentAtFault()
            ? Optional.of(
                condition(
                    site,
                    SiteConditions.CONTENT_READY,
                    false,
                    problem.reason(),
                    problem.getMessage()))
            : content.map(valid -> contentValid(site, valid));
    status.setConditions(
        contentCondition
            .map(c -> SiteConditions.list(c, ready))
            .orElseGet(() -> SiteConditions.list(ready)));
    fillReplicas(status, site, context);
    UpdateControl<TinyStaticSite> control = update(site, status, context);
    problem.retryAfter().ifPresent(control::rescheduleAfter);
    return control;
  }

  /** The objects are applied: report the content and how far the pods have rolled it out. */
  private UpdateControl<TinyStaticSite> reportServing(
      TinyStaticSite site, Context<TinyStaticSite> context, DeliveryPlan plan) {
    SiteContent content = plan.content();
    String hash = content.hash();
    int wanted = site.getSpec().replicasOrDefault();
    Rollout rollout = Rollout.of(context.getSecondaryResource(Deployment.class), hash, wanted);
    var status = new TinyStaticSiteStatus();
    status.setObservedGeneration(generation(site));
    status.setContentHash(hash);
    status.setContentBytes(content.totalBytes());
    status.setFiles(content.count());
    status.setDelivery(plan.delivery());
    plan.baked()
        .ifPresent(
            image -> {
              status.setImage(image.pullReference());
              status.setImageBytes(image.bytes());
            });
    status.setUrl(ServiceDependent.url(site));
    status.setReplicas(wanted);
    status.setReadyReplicas(rollout.readyReplicas());
    status.setConditions(
        SiteConditions.list(
            contentValid(site, content),
            condition(
                site,
                SiteConditions.READY,
                rollout.complete(),
                rollout.reason(),
                rollout.message())));
    return update(site, status, context);
  }

  private UpdateControl<TinyStaticSite> update(
      TinyStaticSite site, TinyStaticSiteStatus status, Context<TinyStaticSite> context) {
    return changed(site, status, context)
        ? UpdateControl.patchStatus(withStatus(site, status))
        : UpdateControl.noUpdate();
  }

  /**
   * Whether {@code status} differs from the site's; records an event when the Ready condition turns
   * (a Warning for a problem, Normal when the site becomes available).
   */
  private boolean changed(
      TinyStaticSite site, TinyStaticSiteStatus status, Context<TinyStaticSite> context) {
    if (status.equals(site.getStatus())) {
      return false;
    }
    Optional<Condition> before =
        Optional.ofNullable(site.getStatus())
            .flatMap(s -> SiteConditions.find(s.getConditions(), SiteConditions.READY));
    Condition after =
        SiteConditions.find(status.getConditions(), SiteConditions.READY).orElseThrow();
    boolean turned =
        before
            .map(
                b ->
                    !Objects.equals(b.getStatus(), after.getStatus())
                        || !Objects.equals(b.getReason(), after.getReason())
                        || !Objects.equals(b.getMessage(), after.getMessage()))
            .orElse(true);
    if (turned) {
      if ("True".equals(after.getStatus())) {
        if (!SiteConditions.isTrue(before)) {
          events.normal(context.getClient(), site, after.getReason(), after.getMessage());
        }
      } else if (!PROGRESS_REASONS.contains(after.getReason())) {
        events.warning(context.getClient(), site, after.getReason(), after.getMessage());
      }
    }
    return true;
  }

  /** A new status that keeps what the site last served (content, image) until it changes. */
  private TinyStaticSiteStatus carriedOver(TinyStaticSite site) {
    var status = new TinyStaticSiteStatus();
    Optional.ofNullable(site.getStatus())
        .ifPresent(
            before -> {
              status.setContentHash(before.getContentHash());
              status.setContentBytes(before.getContentBytes());
              status.setFiles(before.getFiles());
              status.setDelivery(before.getDelivery());
              status.setImage(before.getImage());
              status.setImageBytes(before.getImageBytes());
              status.setUrl(before.getUrl());
            });
    status.setObservedGeneration(generation(site));
    return status;
  }

  private void fillReplicas(
      TinyStaticSiteStatus status, TinyStaticSite site, Context<TinyStaticSite> context) {
    status.setReplicas(site.getSpec().replicasOrDefault());
    status.setReadyReplicas(
        context
            .getSecondaryResource(Deployment.class)
            .map(d -> d.getStatus() == null ? null : d.getStatus().getReadyReplicas())
            .orElse(0));
    if (status.getReadyReplicas() == null) {
      status.setReadyReplicas(0);
    }
  }

  private Condition contentValid(TinyStaticSite site, SiteContent content) {
    return condition(
        site,
        SiteConditions.CONTENT_READY,
        true,
        "Valid",
        String.format(
            "%d files, %,d bytes, %s",
            content.count(), content.totalBytes(), Rollout.shortHash(content.hash())));
  }

  private Optional<Condition> contentCondition(TinyStaticSite site) {
    return Optional.ofNullable(site.getStatus())
        .flatMap(s -> SiteConditions.find(s.getConditions(), SiteConditions.CONTENT_READY));
  }

  private Condition condition(
      TinyStaticSite site, String type, boolean status, String reason, String message) {
    List<Condition> previous =
        site.getStatus() == null ? List.of() : site.getStatus().getConditions();
    return SiteConditions.condition(
        previous, type, status, reason, message, generation(site), clock);
  }

  /** Only name and status: patching status must not carry (or fight over) anything else. */
  private static TinyStaticSite withStatus(TinyStaticSite site, TinyStaticSiteStatus status) {
    var patch = new TinyStaticSite();
    patch.getMetadata().setName(site.getMetadata().getName());
    patch.getMetadata().setNamespace(site.getMetadata().getNamespace());
    patch.setStatus(status);
    return patch;
  }

  private static long generation(TinyStaticSite site) {
    return Optional.ofNullable(site.getMetadata().getGeneration()).orElse(0L);
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
