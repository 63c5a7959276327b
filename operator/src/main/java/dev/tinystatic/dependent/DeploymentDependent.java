package dev.tinystatic.dependent;

import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.delivery.DeliveryPlan;
import dev.tinystatic.delivery.Revision;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.server.ServerImage;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;
import java.util.Map;

/**
 * The site's Deployment: the native server under the restricted Pod Security Standard, rolled (with
 * no capacity lost) whenever the content hash on its pod template changes.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = SiteObjects.MANAGED_SELECTOR,
            onUpdateFilter = DeploymentUpdates.class,
            itemStore = AppliedFieldsStore.class))
public class DeploymentDependent extends SiteDependent<Deployment> {

  public static final String NAME = "deployment";
  public static final String CONTAINER = "server";
  public static final String PORT_NAME = "http";

  /** The non-root user the server runs as (the "nonroot" uid of distroless images). */
  public static final long RUN_AS = 65532L;

  /**
   * Seconds the pod keeps serving after it is told to stop, so that Services and load balancers
   * stop sending it requests before the server stops accepting.
   */
  static final long PRE_STOP_DELAY_SECONDS = 5;

  /** preStop delay + the server's own bound on draining in-flight requests + a margin. */
  static final long TERMINATION_GRACE_SECONDS =
      PRE_STOP_DELAY_SECONDS + ServerImage.DRAIN_SECONDS + 5;

  static final ResourceRequirements DEFAULT_RESOURCES =
      new ResourceRequirementsBuilder()
          .withRequests(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi")))
          // The server needs well under 1 MiB (3 MiB for a moment at start, while it unpacks
          // itself); the rest is room for the page cache of the files.
          .withLimits(Map.of("memory", new Quantity("32Mi")))
          .build();

  public DeploymentDependent() {
    super(Deployment.class, SiteObjects::deploymentName);
  }

  @Override
  protected Deployment desired(TinyStaticSite site, Context<TinyStaticSite> context) {
    return desiredDeployment(site, DeliveryPlan.from(context).revision());
  }

  /** The Deployment whose pods run {@code revision}. */
  public static Deployment desiredDeployment(TinyStaticSite site, Revision revision) {
    int port = site.getSpec().portOrDefault();
    var server =
        new ContainerBuilder()
            .withName(CONTAINER)
            .withImage(revision.image())
            .withImagePullPolicy("IfNotPresent")
            // none: the image's own (Image delivery)
            .withArgs(revision.args().isEmpty() ? null : revision.args())
            .addNewPort()
            .withName(PORT_NAME)
            .withContainerPort(port)
            .withProtocol("TCP")
            .endPort()
            // TCP probes: a site without index.html (or any page at /) is still healthy.
            .withReadinessProbe(tcpProbe(5, 2))
            .withLivenessProbe(tcpProbe(10, 3))
            .withNewLifecycle()
            .withNewPreStop()
            .withNewSleep(PRE_STOP_DELAY_SECONDS)
            .endPreStop()
            .endLifecycle()
            .withResources(
                site.getSpec().getResources() != null
                    ? site.getSpec().getResources()
                    : DEFAULT_RESOURCES)
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withRunAsNonRoot(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .withVolumeMounts(revision.mounts())
            .build();
    var metadata = SiteObjects.metadata(site, SiteObjects.deploymentName(site), "server");
    revision
        .baked()
        .map(BakedImage::key)
        .filter(java.util.Objects::nonNull)
        .ifPresent(key -> metadata.getAnnotations().put(SiteObjects.IMAGE_KEY_ANNOTATION, key));
    return new DeploymentBuilder()
        .withMetadata(metadata)
        .withNewSpec()
        .withReplicas(site.getSpec().replicasOrDefault())
        .withRevisionHistoryLimit(5)
        .withNewSelector()
        .withMatchLabels(SiteObjects.selectorLabels(site))
        .endSelector()
        // Never fewer ready pods than asked for while rolling: new pods first, then old ones go.
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString(1))
        .withMaxUnavailable(new IntOrString(0))
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(SiteObjects.labels(site, "server"))
        .withAnnotations(Map.of(SiteObjects.CONTENT_HASH_ANNOTATION, revision.contentHash()))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS)
        .withRunAsGroup(RUN_AS)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withTopologySpreadConstraints(spread(site))
        .withContainers(List.of(server))
        .withVolumes(revision.volumes())
        .withImagePullSecrets(
            revision.imagePullSecrets().stream().map(LocalObjectReference::new).toList())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * Atomic rollout: the Deployment of one content revision, {@code <site>-<revision>}; its pods
   * carry the revision label the Service selects the live revision by.
   */
  public static Deployment revisionDeployment(TinyStaticSite site, Revision revision) {
    String label = SiteObjects.revisionOf(revision.contentHash());
    Deployment deployment = desiredDeployment(site, revision);
    deployment
        .getMetadata()
        .setName(SiteObjects.revisionDeploymentName(site, revision.contentHash()));
    deployment.getMetadata().getLabels().put(SiteObjects.REVISION_LABEL, label);
    deployment.getSpec().getSelector().getMatchLabels().put(SiteObjects.REVISION_LABEL, label);
    deployment
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getLabels()
        .put(SiteObjects.REVISION_LABEL, label);
    // A revision's pods never change content: no ReplicaSet history to keep.
    deployment.getSpec().setRevisionHistoryLimit(1);
    return deployment;
  }

  /**
   * Spread the pods over nodes and zones where the scheduler can, without ever leaving one pending
   * for it (ScheduleAnyway): one node or zone lost keeps the others serving.
   */
  private static List<TopologySpreadConstraint> spread(TinyStaticSite site) {
    return List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone").stream()
        .map(
            key ->
                new TopologySpreadConstraintBuilder()
                    .withMaxSkew(1)
                    .withTopologyKey(key)
                    .withWhenUnsatisfiable("ScheduleAnyway")
                    .withNewLabelSelector()
                    .withMatchLabels(SiteObjects.selectorLabels(site))
                    .endLabelSelector()
                    .build())
        .toList();
  }

  private static Probe tcpProbe(int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewTcpSocket()
        .withPort(new IntOrString(PORT_NAME))
        .endTcpSocket()
        .withPeriodSeconds(periodSeconds)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
