package dev.tinystatic.reconciler;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteStatus;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.content.ContentProblem;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteContentResolver;
import dev.tinystatic.delivery.DeliveryPlan;
import dev.tinystatic.dependent.ContentConfigMapDependent;
import dev.tinystatic.dependent.DeploymentDependent;
import dev.tinystatic.dependent.HttpRouteDependent;
import dev.tinystatic.dependent.IngressDependent;
import dev.tinystatic.dependent.ServiceDependent;
import dev.tinystatic.image.ImageBakes;
import dev.tinystatic.image.SiteImageBaker;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
      @Dependent(name = ContentConfigMapDependent.NAME, type = ContentConfigMapDependent.class),
      @Dependent(
          name = DeploymentDependent.NAME,
          type = DeploymentDependent.class,
          dependsOn = ContentConfigMapDependent.NAME),
      @Dependent(name = ServiceDependent.NAME, type = ServiceDependent.class),
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

  public static final String NAME = "tinystaticsite";

  private static final Logger log = LoggerFactory.getLogger(TinyStaticSiteReconciler.class);

  private final SiteDelivery delivery;
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
    this.delivery =
        new SiteDelivery(
            config,
            config.registry().map(SiteImageBaker::new),
            bakes,
            RegistrySecret.credentials(config, client));
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
    SiteContent content;
    try {
      content = SiteContentResolver.resolve(site.getSpec(), ReferencedContent.of(site, context));
    } catch (ContentProblem problem) {
      // Nothing is applied: the objects running keep the last good content.
      status.invalidContent(
          problem.reason(),
          problem.getMessage(),
          context.getSecondaryResource(Deployment.class).isPresent());
      return update(site, context, status.replicas(wanted(site), readyReplicas(context)));
    }
    status.validContent(content);
    var decision = delivery.plan(site, content, context.getSecondaryResource(Deployment.class));
    decision.apply().ifPresent(plan -> apply(site, context, plan, status));
    decision
        .pending()
        .ifPresentOrElse(
            problem -> status.notReady(problem.reason(), problem.getMessage()),
            () ->
                status.rollout(
                    Rollout.of(
                        context.getSecondaryResource(Deployment.class),
                        content.hash(),
                        wanted(site))));
    SiteExposure.report(site, context, status);
    var control = update(site, context, status.replicas(wanted(site), readyReplicas(context)));
    decision.pending().flatMap(DeliveryProblem::retryAfter).ifPresent(control::rescheduleAfter);
    return control;
  }

  /** Applies the site's objects as {@code plan} has them; reports what the pods serve. */
  private static void apply(
      TinyStaticSite site,
      Context<TinyStaticSite> context,
      DeliveryPlan plan,
      SiteStatusBuilder status) {
    plan.storeIn(context);
    var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    if (result.erroredDependentsExist()) {
      throw ApplyFailure.of(result.getErroredDependents(), site, context.getClient());
    }
    if (plan.current()) {
      status.serving(plan, SiteExposure.url(site));
    }
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
            .replicas(wanted(site), readyReplicas(context));
    return written(site, context, status)
        .map(ErrorStatusUpdateControl::patchStatus)
        .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
  }

  private UpdateControl<TinyStaticSite> update(
      TinyStaticSite site, Context<TinyStaticSite> context, SiteStatusBuilder status) {
    return written(site, context, status)
        .map(UpdateControl::patchStatus)
        .orElseGet(UpdateControl::noUpdate);
  }

  /** The status patch, when the status changed, after recording the events its change is worth. */
  private Optional<TinyStaticSite> written(
      TinyStaticSite site, Context<TinyStaticSite> context, SiteStatusBuilder status) {
    var update = status.build();
    update.events().forEach(event -> events.record(context.getClient(), site, event));
    return update.status().map(changed -> withStatus(site, changed));
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

  private static int readyReplicas(Context<TinyStaticSite> context) {
    return context
        .getSecondaryResource(Deployment.class)
        .map(Deployment::getStatus)
        .map(DeploymentStatus::getReadyReplicas)
        .orElse(0);
  }
}
