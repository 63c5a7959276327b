package dev.tinystatic.runtime;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's leader election on a Lease, around JOSDK's: the permissions it needs are checked
 * at start (all of them: Fabric8 renews and takes over with PATCH, which JOSDK's own check leaves
 * out), the Lease is released on a graceful stop (so a rolling update hands over within the retry
 * period instead of the lease duration), a leader that loses its Lease exits (a fresh process
 * stands again; two leaders never reconcile at once), and {@link #health} tells a working election
 * from a broken one for the readiness probe.
 */
public final class LeaderLease {

  /** How long a Lease holds without renewal; the renew deadline and retry period follow. */
  public static final Duration LEASE_DURATION = Duration.ofSeconds(15);

  public static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  public static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

  /** Every verb Fabric8's elector uses on its Lease. */
  static final List<String> VERBS = List.of("get", "create", "update", "patch");

  private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);

  private final String name;
  private final String namespace;
  private final String identity;
  private final Clock clock;
  private final Runnable exit;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicReference<String> leader = new AtomicReference<>();

  /**
   * @param identity this replica's name in the Lease (the pod name)
   * @param exit what happens when leadership is lost while running (the process exits)
   */
  LeaderLease(String name, String namespace, String identity, Clock clock, Runnable exit) {
    this.name = name;
    this.namespace = namespace;
    this.identity = identity;
    this.clock = clock;
    this.exit = exit;
  }

  /**
   * The Lease {@code name} in {@code namespace}, held as {@code $HOSTNAME} (the pod name), or a
   * random identity outside a pod.
   */
  public static LeaderLease of(String name, String namespace) {
    String hostname = System.getenv("HOSTNAME");
    String identity =
        hostname == null || hostname.isBlank() ? UUID.randomUUID().toString() : hostname;
    return new LeaderLease(
        name, namespace, identity, Clock.systemUTC(), () -> exitFromAnotherThread(1));
  }

  /** JOSDK's configuration: our callbacks, and no exit of its own (we decide when to exit). */
  LeaderElectionConfiguration configuration() {
    return new LeaderElectionConfiguration(
        name,
        namespace,
        LEASE_DURATION,
        RENEW_DEADLINE,
        RETRY_PERIOD,
        identity,
        new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader),
        false);
  }

  public String identity() {
    return identity;
  }

  public String namespace() {
    return namespace;
  }

  public boolean isLeading() {
    return leading.get();
  }

  /**
   * Fails with a message that names each missing verb when the client may not use the Lease as the
   * elector does (without {@code patch} a leader can neither renew nor take over an expired Lease).
   */
  public void checkAccess(KubernetesClient client) {
    List<String> missing = new ArrayList<>();
    for (String verb : VERBS) {
      var review =
          new SelfSubjectAccessReviewBuilder()
              .withNewSpec()
              .withNewResourceAttributes()
              .withGroup("coordination.k8s.io")
              .withResource("leases")
              .withNamespace(namespace)
              .withVerb(verb)
              .endResourceAttributes()
              .endSpec()
              .build();
      var answer = client.resource(review).create();
      if (answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAllowed())) {
        missing.add(verb);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "leader election needs "
              + String.join(", ", VERBS)
              + " on leases.coordination.k8s.io in namespace "
              + namespace
              + ", but this ServiceAccount may not "
              + String.join(", ", missing)
              + " them: grant them (the chart's Role does) or turn leader election off");
    }
  }

  /** Called before the operator stops: losing the Lease from now on is expected. */
  public void stopping() {
    stopping.set(true);
  }

  /**
   * Hands the Lease over after a graceful stop: when this replica still holds it, it is marked
   * free, so a standby takes it at its next retry (client-go's ReleaseOnCancel, which JOSDK leaves
   * off). Optimistic: a Lease another replica took meanwhile is left alone.
   */
  public void release(KubernetesClient client) {
    try {
      var leases = client.leases().inNamespace(namespace).withName(name);
      Lease lease = leases.get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      // An empty holder, not a missing one: Fabric8's elector takes a Lease at once only when
      // its holder is empty (a merge patch would keep a holder left out), else after its own
      // lease duration, whatever the Lease says.
      ZonedDateTime now = ZonedDateTime.now(clock);
      lease.getSpec().setHolderIdentity("");
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      // a JSON merge patch carrying the resourceVersion read: refused if the Lease moved on
      client.resource(lease).patch(PatchContext.of(PatchType.JSON_MERGE));
      log.info("released the leader Lease {}/{} for a standby to take", namespace, name);
    } catch (KubernetesClientException e) {
      log.warn(
          "could not release the leader Lease {}/{} ({}): a standby takes it when it expires",
          namespace,
          name,
          e.getMessage());
    }
  }

  /**
   * Whether leader election works, read from the Lease itself: this replica leads and renews it, or
   * another replica does (or did, less than two lease durations ago: a takeover is under way). An
   * unreadable Lease, a holder that stopped renewing long ago, or a leader that stopped renewing
   * its own Lease are not healthy.
   */
  public Health health(KubernetesClient client) {
    Lease lease;
    try {
      lease = client.leases().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      return Health.bad("cannot read the leader Lease " + where() + ": " + e.getMessage());
    }
    if (lease == null || lease.getSpec() == null) {
      return leading.get()
          ? Health.bad("this replica leads but the Lease " + where() + " is gone")
          : Health.ok("no leader yet; electing");
    }
    var spec = lease.getSpec();
    String holder = Optional.ofNullable(spec.getHolderIdentity()).orElse("");
    Instant renewed =
        Optional.ofNullable(spec.getRenewTime())
            .map(ZonedDateTime::toInstant)
            .orElse(Instant.EPOCH);
    Duration duration =
        Duration.ofSeconds(
            Optional.ofNullable(spec.getLeaseDurationSeconds())
                .orElse((int) LEASE_DURATION.toSeconds()));
    Duration since = Duration.between(renewed, clock.instant());
    if (identity.equals(holder)) {
      return since.compareTo(duration) <= 0
          ? Health.ok("leading")
          : Health.bad(
              "this replica holds the Lease " + where() + " but last renewed it " + ago(since));
    }
    if (holder.isEmpty() || since.compareTo(duration.multipliedBy(2)) <= 0) {
      return Health.ok(holder.isEmpty() ? "no leader; electing" : "standing by for " + holder);
    }
    return Health.bad(
        "the Lease "
            + where()
            + " held by "
            + holder
            + " expired "
            + ago(since.minus(duration))
            + " and no replica took it over");
  }

  private void startedLeading() {
    leading.set(true);
    log.info("leading as {} (Lease {})", identity, where());
  }

  private void stoppedLeading() {
    leading.set(false);
    if (stopping.get()) {
      return;
    }
    log.error(
        "lost the leader Lease {} (not renewed within {} s): exiting, so that no two replicas"
            + " reconcile at once; a new process stands for election",
        where(),
        RENEW_DEADLINE.toSeconds());
    exit.run();
  }

  private void newLeader(String holder) {
    leader.set(holder);
  }

  /** The current holder, as last seen by the elector. */
  public Optional<String> leader() {
    return Optional.ofNullable(leader.get());
  }

  private String where() {
    return namespace + "/" + name;
  }

  private static String ago(Duration d) {
    return d.toSeconds() + " s ago";
  }

  /** Not from the elector's thread: System.exit waits for shutdown hooks, which stop it. */
  private static void exitFromAnotherThread(int status) {
    Thread exit = new Thread(() -> System.exit(status), "lost-leadership-exit");
    exit.setDaemon(false);
    exit.start();
  }

  /** Whether leader election works, and what was seen. */
  public record Health(boolean ok, String message) {
    static Health ok(String message) {
      return new Health(true, message);
    }

    static Health bad(String message) {
      return new Health(false, message);
    }
  }
}
