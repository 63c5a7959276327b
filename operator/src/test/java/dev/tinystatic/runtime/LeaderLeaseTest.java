package dev.tinystatic.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tinystatic.testing.MockCluster;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader Lease around JOSDK's election, on the mock API server: its health read from the Lease,
 * its release on a graceful stop, its exit when leadership is lost, its permission check. (The
 * election itself, with two replicas and the chart's RBAC, runs on a real cluster: see the cluster
 * tests.)
 */
class LeaderLeaseTest {

  static final String NS = "tinystatic-system";
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  private MockCluster cluster;
  private final AtomicInteger exits = new AtomicInteger();
  private final LeaderLease lease =
      new LeaderLease(
          "tinystatic-operator",
          NS,
          "pod-a",
          Clock.fixed(NOW, ZoneOffset.UTC),
          exits::incrementAndGet);

  @BeforeEach
  void start() throws Exception {
    cluster = MockCluster.start();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void theElectorUsesEveryVerbTheChartGrants() {
    assertThat(Permissions.LEADER_ELECTION)
        .singleElement()
        .satisfies(rule -> assertThat(rule.verbs()).containsExactlyElementsOf(LeaderLease.VERBS));
  }

  @Test
  void healthSaysWhetherTheElectionWorks() {
    assertThat(lease.health(cluster.client()).ok()).as("no Lease yet: electing").isTrue();

    holder("pod-a", 5);
    assertThat(lease.health(cluster.client())).isEqualTo(new LeaderLease.Health(true, "leading"));

    holder("pod-a", 40);
    assertThat(lease.health(cluster.client()))
        .satisfies(h -> assertThat(h.ok()).isFalse())
        .satisfies(h -> assertThat(h.message()).contains("holds the Lease").contains("40 s ago"));

    holder("pod-b", 20);
    assertThat(lease.health(cluster.client()))
        .as("a takeover may take up to two lease durations")
        .isEqualTo(new LeaderLease.Health(true, "standing by for pod-b"));

    holder("pod-b", 60);
    assertThat(lease.health(cluster.client()))
        .satisfies(h -> assertThat(h.ok()).isFalse())
        .satisfies(
            h ->
                assertThat(h.message())
                    .isEqualTo(
                        "the Lease tinystatic-system/tinystatic-operator held by pod-b expired"
                            + " 45 s ago and no replica took it over"));
  }

  @Test
  void aGracefulStopHandsTheLeaseOverAndLeavesAnotherHoldersLeaseAlone() {
    holder("pod-a", 1);
    lease.release(cluster.client());

    Lease released = read();
    assertThat(released.getSpec().getHolderIdentity())
        .as("empty: a standby takes it at once")
        .isEmpty();
    assertThat(released.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    assertThat(released.getSpec().getLeaseTransitions()).isEqualTo(3);

    holder("pod-b", 1);
    lease.release(cluster.client());
    assertThat(read().getSpec().getHolderIdentity()).isEqualTo("pod-b");
  }

  @Test
  void losingTheLeaseWhileRunningExitsButNotWhileStopping() {
    var callbacks = lease.configuration().getLeaderCallbacks().orElseThrow();
    assertThat(lease.configuration().isExitOnStopLeading())
        .as("JOSDK's own exit would run inside the shutdown hook")
        .isFalse();

    callbacks.onStartLeading();
    assertThat(lease.isLeading()).isTrue();
    callbacks.onStopLeading();
    assertThat(lease.isLeading()).isFalse();
    assertThat(exits).hasValue(1);

    callbacks.onStartLeading();
    lease.stopping();
    callbacks.onStopLeading();
    assertThat(exits).as("a graceful stop does not exit again").hasValue(1);
  }

  @Test
  void aServiceAccountThatMayNotPatchLeasesIsToldSoAtStart() {
    for (String verb : LeaderLease.VERBS) {
      cluster
          .server()
          .expect()
          .post()
          .withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
          .andReturn(200, review(!verb.equals("patch")))
          .once();
    }

    assertThatThrownBy(() -> lease.checkAccess(cluster.client()))
        .hasMessage(
            "leader election needs get, create, update, patch on leases.coordination.k8s.io in"
                + " namespace tinystatic-system, but this ServiceAccount may not patch them: grant"
                + " them (the chart's Role does) or turn leader election off");
  }

  private static SelfSubjectAccessReview review(boolean allowed) {
    return new SelfSubjectAccessReviewBuilder()
        .withNewStatus()
        .withAllowed(allowed)
        .endStatus()
        .build();
  }

  /** The Lease as {@code holder} would have renewed it {@code secondsAgo}. */
  private void holder(String holder, long secondsAgo) {
    ZonedDateTime renewed = ZonedDateTime.ofInstant(NOW.minusSeconds(secondsAgo), ZoneOffset.UTC);
    var lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName("tinystatic-operator")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(holder)
            .withLeaseDurationSeconds(15)
            .withAcquireTime(renewed)
            .withRenewTime(renewed)
            .withLeaseTransitions(3)
            .endSpec()
            .build();
    var existing = read();
    if (existing != null) {
      cluster.client().resource(existing).delete();
    }
    cluster.client().resource(lease).create();
  }

  private Lease read() {
    return cluster.client().leases().inNamespace(NS).withName("tinystatic-operator").get();
  }
}
