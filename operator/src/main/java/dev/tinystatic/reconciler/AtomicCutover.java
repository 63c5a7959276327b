package dev.tinystatic.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.SiteRevision;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteStatus;
import dev.tinystatic.delivery.DeliveryPlan;
import dev.tinystatic.dependent.Cutover;
import dev.tinystatic.dependent.DeploymentDependent;
import dev.tinystatic.dependent.RevisionConfigMaps;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.dependent.RecentOperationCacheFiller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The Atomic rollout, blue/green per content revision. Each revision runs in a Deployment of its
 * own ({@code <site>-<revision>}); the one being rolled out starts beside the live one with all its
 * replicas, and only once every pod of it is available does the Service's selector move to it, in
 * one write. The previous revision's pods keep running for spec.rollout.drainSeconds (clients
 * holding old endpoints, requests in flight), then go. A revision superseded before it went live is
 * removed at once.
 *
 * <p>State lives in the cluster, not in the operator: the live revision is the one the Service
 * selects; when it went live is in status.revisions, written with the rest of the status (one write
 * when a revision goes live), and status.pendingRevision names the one that has not yet.
 */
final class AtomicCutover {

  /** Deployment annotation: a digest of the spec the operator last wrote (changes it or not). */
  static final String SPEC_DIGEST_ANNOTATION = "tinystatic.dev/spec-digest";

  /** Writes every map in key order. */
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /**
   * What this reconciliation decided.
   *
   * @param cutover what the Service selects, for the dependents
   * @param rollout the Ready condition's view of it
   * @param liveRevision the revision visitors get (short hash), empty while none is
   * @param pendingRevision the revision starting beside it, if any
   * @param wentLive whether the Service moves to the target revision now
   * @param readyReplicas ready pods of the live revision
   * @param recheckIn when a previous revision's drain ends
   */
  record Outcome(
      Cutover cutover,
      Rollout rollout,
      Optional<String> liveRevision,
      Optional<String> pendingRevision,
      boolean wentLive,
      int readyReplicas,
      Optional<Duration> recheckIn) {}

  private final TinyStaticSite site;
  private final KubernetesClient client;
  private final RecentOperationCacheFiller<Deployment> deploymentCache;
  private final Clock clock;

  /**
   * @param deploymentCache the Deployment informer's, told of what this class writes: the next
   *     reconciliation sees it even before the informer's event, and that event wakes no one
   */
  AtomicCutover(
      TinyStaticSite site,
      KubernetesClient client,
      RecentOperationCacheFiller<Deployment> deploymentCache,
      Clock clock) {
    this.site = site;
    this.client = client;
    this.deploymentCache = deploymentCache;
    this.clock = clock;
  }

  /**
   * @param plan the revision the site should serve
   * @param deployments every Deployment of the site, as the informer has them
   * @param service the site's Service, as the informer has it
   */
  Outcome run(DeliveryPlan plan, List<Deployment> deployments, Optional<Service> service) {
    String hash = plan.revision().contentHash();
    String target = SiteObjects.revisionOf(hash);
    int wanted = site.getSpec().replicasOrDefault();
    Map<String, Deployment> revisions = revisionDeployments(deployments);
    boolean rollingExists =
        deployments.stream().anyMatch(d -> revisionLabel(d).isEmpty() && !deleting(d));
    Optional<String> selected =
        service
            .map(s -> s.getSpec().getSelector())
            .map(selector -> selector.get(SiteObjects.REVISION_LABEL))
            .filter(revisions::containsKey);

    Deployment targetDeployment = ensure(plan, Optional.ofNullable(revisions.get(target)));
    Rollout targetRollout = Rollout.of(Optional.of(targetDeployment), hash, wanted);
    // Complete as created when no pod is wanted: a parked site is live (and Ready) at once, its
    // Deployment, Service and one status write made in the same reconciliation.
    boolean targetReady = targetRollout.complete();

    Optional<String> live;
    if (targetReady) {
      live = Optional.of(target);
    } else if (selected.isPresent()) {
      live = selected;
    } else if (!rollingExists) {
      // Nothing serves yet (a new site): the Service waits on the first revision's pods.
      live = Optional.of(target);
    } else {
      // Switching from Rolling: its pods serve until the first revision is ready.
      live = Optional.empty();
    }
    // Went live: ready, and not the newest of status.revisions yet (the status write records it).
    boolean wentLive = targetReady && !newestRecorded(hash);
    Instant now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
    // The previous revisions drain from the moment the live one went live.
    Instant drainEnd =
        (wentLive ? Optional.of(now) : live.flatMap(this::recordedLiveSince))
            .orElse(now)
            .plusSeconds(site.getSpec().drainSecondsOrDefault());
    Optional<Duration> recheck = retire(revisions, live, target, now, drainEnd);

    boolean targetLive = live.equals(Optional.of(target));
    Optional<String> pending = targetLive ? Optional.empty() : Optional.of(target);
    int liveReady =
        live.map(revisions::get)
            .map(Deployment::getStatus)
            .map(s -> s.getReadyReplicas())
            .orElse(0);
    Rollout rollout =
        targetLive
            ? targetRollout
            : new Rollout(
                false,
                liveReady,
                SiteConditions.ROLLING_OUT,
                String.format(
                    "revision %s is starting (%s); %s",
                    target,
                    targetRollout.message(),
                    live.map(r -> "visitors stay on revision " + r + " until it is ready")
                        .orElse("visitors stay on the rolled pods until it is ready")));
    return new Outcome(
        new Cutover(live, live.isEmpty()),
        rollout,
        live,
        pending,
        wentLive,
        targetLive ? targetRollout.readyReplicas() : liveReady,
        recheck);
  }

  /** Revisions that went live, newest first, {@code keep} of them. */
  static List<SiteRevision> history(List<SiteRevision> previous, SiteRevision live, int keep) {
    List<SiteRevision> revisions = new ArrayList<>();
    revisions.add(live);
    previous.stream()
        .filter(r -> !Objects.equals(r.getContentHash(), live.getContentHash()))
        .forEach(revisions::add);
    return List.copyOf(revisions.subList(0, Math.min(keep, revisions.size())));
  }

  /**
   * ConfigMap delivery: removes the revision ConfigMaps of revisions no longer kept. They come from
   * the informer's cache, not a list request: one LIST per new site was the API server's largest
   * read with 1,000 sites. One the cache has not seen yet goes at the next cutover, or with the
   * site.
   *
   * @param siteConfigMaps the site's ConfigMaps as cached (its revision ConfigMaps among them, and
   *     a referenced user ConfigMap, which is never touched)
   */
  void pruneConfigMaps(Stream<ConfigMap> siteConfigMaps, Set<String> kept) {
    String instance = site.getMetadata().getName();
    siteConfigMaps
        // the selector the LIST had: this site's instance label and a revision not kept
        .filter(c -> instance.equals(labels(c).get(SiteObjects.INSTANCE_LABEL)))
        .filter(c -> revisionLabel(c).filter(r -> !kept.contains(r)).isPresent())
        .filter(c -> !deleting(c))
        .forEach(c -> client.resource(c).delete());
  }

  /**
   * Rolling: once the rolled Deployment serves, the revision Deployments left by an Atomic past go.
   */
  void removeRevisions(List<Deployment> deployments) {
    revisionDeployments(deployments).values().forEach(this::delete);
  }

  /** The target revision's Deployment, created or brought up to date (and its ConfigMap). */
  private Deployment ensure(DeliveryPlan plan, Optional<Deployment> actual) {
    Deployment desired = DeploymentDependent.revisionDeployment(site, plan.revision());
    String digest = digest(desired);
    desired.getMetadata().getAnnotations().put(SPEC_DIGEST_ANNOTATION, digest);
    if (actual.isEmpty() || deleting(actual.get())) {
      if (plan.revision().delivery() == Delivery.ConfigMap && plan.current()) {
        createIfAbsent(RevisionConfigMaps.desired(site, plan.content()));
      }
      return createDeploymentIfAbsent(desired);
    }
    Deployment current = actual.get();
    boolean same =
        digest.equals(annotations(current).get(SPEC_DIGEST_ANNOTATION))
            && Objects.equals(current.getSpec().getReplicas(), desired.getSpec().getReplicas())
            && SiteObjects.labels(site, "server").entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels(current).get(e.getKey())));
    if (same) {
      return current;
    }
    Deployment updated =
        client
            .resource(current)
            .edit(
                d -> {
                  d.setSpec(desired.getSpec());
                  d.getMetadata().getLabels().putAll(desired.getMetadata().getLabels());
                  annotations(d).put(SPEC_DIGEST_ANNOTATION, digest);
                  return d;
                });
    deploymentCache.handleRecentResourceUpdate(ResourceID.fromResource(updated), updated, current);
    return updated;
  }

  /**
   * Removes the revisions neither live nor the target: at once if they never went live, after the
   * drain if they were live until now.
   *
   * @return when to look again, for a drain still running
   */
  private Optional<Duration> retire(
      Map<String, Deployment> revisions,
      Optional<String> live,
      String target,
      Instant now,
      Instant drainEnd) {
    Optional<Duration> recheck = Optional.empty();
    for (var entry : revisions.entrySet()) {
      String revision = entry.getKey();
      Deployment deployment = entry.getValue();
      if (live.equals(Optional.of(revision)) || revision.equals(target) || deleting(deployment)) {
        continue;
      }
      if (neverLive(revision) || !now.isBefore(drainEnd)) {
        delete(deployment);
      } else {
        recheck = Optional.of(Duration.between(now, drainEnd).plusSeconds(1));
      }
    }
    return recheck;
  }

  /** Whether status.revisions has {@code contentHash} as the revision that went live last. */
  private boolean newestRecorded(String contentHash) {
    return recorded().stream()
        .findFirst()
        .map(r -> contentHash.equals(r.getContentHash()))
        .orElse(false);
  }

  /** When {@code revision} (short hash) went live, as status.revisions has it. */
  private Optional<Instant> recordedLiveSince(String revision) {
    return recorded().stream()
        .filter(r -> r.getContentHash() != null && r.getLiveSince() != null)
        .filter(r -> revision.equals(SiteObjects.revisionOf(r.getContentHash())))
        .findFirst()
        .map(r -> Instant.parse(r.getLiveSince()));
  }

  /**
   * Whether {@code revision} was only ever pending (superseded before it went live): nobody can
   * hold its endpoints, so it goes without a drain.
   */
  private boolean neverLive(String revision) {
    return status()
        .map(TinyStaticSiteStatus::getPendingRevision)
        .filter(revision::equals)
        .isPresent();
  }

  private List<SiteRevision> recorded() {
    return status()
        .map(TinyStaticSiteStatus::getRevisions)
        .filter(r -> r != null)
        .orElse(List.of());
  }

  private Optional<TinyStaticSiteStatus> status() {
    return Optional.ofNullable(site.getStatus());
  }

  private Deployment createDeploymentIfAbsent(Deployment deployment) {
    Deployment created = createIfAbsent(deployment);
    if (created != null) {
      deploymentCache.handleRecentResourceCreate(ResourceID.fromResource(created), created);
    }
    return created;
  }

  private <T extends HasMetadata> T createIfAbsent(T object) {
    object
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(site.getApiVersion())
                    .withKind(site.getKind())
                    .withName(site.getMetadata().getName())
                    .withUid(site.getMetadata().getUid())
                    .withController(true)
                    .build()));
    try {
      return client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return client.resource(object).get();
      }
      throw e;
    }
  }

  private void delete(Deployment deployment) {
    client.resource(deployment).delete();
  }

  private Map<String, Deployment> revisionDeployments(List<Deployment> deployments) {
    Map<String, Deployment> revisions = new TreeMap<>();
    for (Deployment deployment : deployments) {
      revisionLabel(deployment).ifPresent(r -> revisions.put(r, deployment));
    }
    return revisions;
  }

  static Optional<String> revisionLabel(HasMetadata object) {
    return Optional.ofNullable(labels(object).get(SiteObjects.REVISION_LABEL));
  }

  private static boolean deleting(HasMetadata object) {
    return object.getMetadata().getDeletionTimestamp() != null;
  }

  private static Map<String, String> labels(HasMetadata object) {
    if (object.getMetadata().getLabels() == null) {
      object.getMetadata().setLabels(new java.util.LinkedHashMap<>());
    }
    return object.getMetadata().getLabels();
  }

  private static Map<String, String> annotations(HasMetadata object) {
    if (object.getMetadata().getAnnotations() == null) {
      object.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
    }
    return object.getMetadata().getAnnotations();
  }

  /**
   * A digest of what the operator sets: annotations it owns, and the spec. Maps are hashed in key
   * order: the order they were built in may differ from one operator process to the next ({@code
   * Map.of} iterates in an order seeded per JVM), and a digest that changed with it would make a
   * restarted operator patch every revision Deployment.
   */
  static String digest(Deployment desired) {
    try {
      Object tree =
          CANONICAL.readValue(
              Serialization.asJson(List.of(desired.getSpec(), new TreeMap<>(annotations(desired)))),
              Object.class);
      var sha = dev.tinystatic.content.Sha256.digest();
      sha.update(CANONICAL.writeValueAsBytes(tree));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
