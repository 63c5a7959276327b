package dev.tinystatic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.runtime.Permissions;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart grants exactly what {@link Permissions} lists: a miss or an extra fails here. */
class RbacTest {

  static final String NS = Chart.NAMESPACE;
  static final Subject OPERATOR = new Subject(null, "ServiceAccount", "tinystatic", NS);

  /** Issue 5's registry credentials: one Secret, read only. */
  static final Set<Grant> REGISTRY_SECRET =
      Grant.of(Permissions.REGISTRY_SECRET).stream()
          .map(g -> new Grant(g.apiGroup(), g.resource(), g.verb(), List.of("regcred")))
          .collect(java.util.stream.Collectors.toSet());

  @Test
  void watchingAllNamespacesGrantsThePermissionsClusterWide() {
    Rendered chart = Chart.withDefaults().render();

    ClusterRole role = chart.one(ClusterRole.class, "tinystatic", null);
    assertThat(Grant.ofPolicy(role.getRules()))
        .containsExactlyInAnyOrderElementsOf(Grant.of(Permissions.watched()));
    ClusterRoleBinding binding = chart.one(ClusterRoleBinding.class, "tinystatic", null);
    assertThat(binding.getRoleRef())
        .isEqualTo(new RoleRef("rbac.authorization.k8s.io", "ClusterRole", "tinystatic"));
    assertThat(binding.getSubjects()).containsExactly(OPERATOR);
    assertThat(chart.one(ServiceAccount.class, "tinystatic", NS)).isNotNull();
    // No registry: the only namespaced grant is leader election's, in the release namespace.
    assertThat(chart.all(Role.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("tinystatic-leader-election");
    assertThat(chart.all(RoleBinding.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("tinystatic-leader-election");
  }

  @Test
  void watchingGivenNamespacesGrantsThePermissionsThereAndNowhereElse() {
    Rendered chart =
        Chart.withDefaults()
            .setList("watchNamespaces", "a", "b")
            .set("leaderElection.enabled", false)
            .render();

    assertThat(chart.all(ClusterRole.class)).isEmpty();
    assertThat(chart.all(ClusterRoleBinding.class)).isEmpty();
    assertThat(chart.all(Role.class))
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("a", "b");
    for (String namespace : List.of("a", "b")) {
      Role role = chart.one(Role.class, "tinystatic", namespace);
      assertThat(Grant.ofPolicy(role.getRules()))
          .containsExactlyInAnyOrderElementsOf(Grant.of(Permissions.watched()));
      RoleBinding binding = chart.one(RoleBinding.class, "tinystatic", namespace);
      assertThat(binding.getRoleRef())
          .isEqualTo(new RoleRef("rbac.authorization.k8s.io", "Role", "tinystatic"));
      assertThat(binding.getSubjects()).containsExactly(OPERATOR);
    }
    assertThat(env(chart, "TINYSTATIC_WATCH_NAMESPACES")).isEqualTo("a,b");
  }

  @Test
  void severalReplicasElectALeaderWithALeaseRoleInTheReleaseNamespace() {
    Rendered chart = Chart.withDefaults().set("replicaCount", 2).render();

    assertLeaderElectionRole(chart);
    assertThat(env(chart, "TINYSTATIC_LEADER_ELECTION")).isEqualTo("true");
  }

  @Test
  void leaderElectionIsOnByDefaultWithTheLeaseVerbsTheElectorUses() {
    Rendered chart = Chart.withDefaults().render();

    assertLeaderElectionRole(chart);
    assertThat(env(chart, "TINYSTATIC_LEADER_ELECTION")).isEqualTo("true");
  }

  @Test
  void oneReplicaWithoutLeaderElectionNeedsNoLease() {
    Rendered chart = Chart.withDefaults().set("leaderElection.enabled", false).render();

    assertThat(env(chart, "TINYSTATIC_LEADER_ELECTION")).isEqualTo("false");
    assertThat(allRules(chart)).noneMatch(r -> r.getResources().contains("leases"));
  }

  @Test
  void registryCredentialsAreReadableByNameOnly() {
    Rendered chart =
        Chart.withDefaults()
            .set("registry.url", "registry.example:5000/sites")
            .set("registry.credentialsSecret", "regcred")
            .render();

    Role role = chart.one(Role.class, "tinystatic-registry-secret", NS);
    assertThat(Grant.ofPolicy(role.getRules()))
        .containsExactlyInAnyOrderElementsOf(REGISTRY_SECRET);
    assertBound(chart, "tinystatic-registry-secret");
    // Without the secret, no access to any Secret.
    assertThat(allRules(Chart.withDefaults().set("registry.url", "r.example/sites").render()))
        .noneMatch(r -> r.getResources().contains("secrets"));
  }

  @Test
  void everyFeatureOnStillGrantsNoWildcardDeletesOnlyWhatASiteDropsAndNothingBeyondPermissions() {
    Rendered chart =
        Chart.withDefaults()
            .setList("watchNamespaces", "web", "docs")
            .set("replicaCount", 3)
            .set("registry.url", "registry.example:5000/sites")
            .set("registry.credentialsSecret", "regcred")
            .render();

    List<PolicyRule> rules = allRules(chart);
    assertThat(rules)
        .allSatisfy(
            r -> {
              assertThat(
                      Stream.of(r.getApiGroups(), r.getResources(), r.getVerbs())
                          .flatMap(List::stream))
                  .doesNotContain("*");
              assertThat(r.getVerbs())
                  .doesNotContain("deletecollection", "escalate", "bind", "impersonate");
              if (r.getVerbs().contains("delete")) {
                // Atomic rollouts remove past revisions, a PodDisruptionBudget goes below 2 pods,
                // an Ingress or HTTPRoute goes with its field (Permissions.OWNED, EXPOSURE).
                assertThat(r.getResources())
                    .isSubsetOf(
                        "deployments",
                        "configmaps",
                        "poddisruptionbudgets",
                        "ingresses",
                        "httproutes");
              }
              assertThat(r.getNonResourceURLs()).isEmpty();
            });
    Set<Grant> allowed = new HashSet<>(Grant.of(Permissions.watched()));
    allowed.addAll(Grant.of(Permissions.LEADER_ELECTION));
    allowed.addAll(REGISTRY_SECRET);
    assertThat(Grant.ofPolicy(rules)).containsExactlyInAnyOrderElementsOf(allowed);
  }

  private static void assertLeaderElectionRole(Rendered chart) {
    Role role = chart.one(Role.class, "tinystatic-leader-election", NS);
    assertThat(Grant.ofPolicy(role.getRules()))
        .containsExactlyInAnyOrderElementsOf(Grant.of(Permissions.LEADER_ELECTION));
    assertBound(chart, "tinystatic-leader-election");
  }

  private static void assertBound(Rendered chart, String role) {
    RoleBinding binding = chart.one(RoleBinding.class, role, NS);
    assertThat(binding.getRoleRef())
        .isEqualTo(new RoleRef("rbac.authorization.k8s.io", "Role", role));
    assertThat(binding.getSubjects()).containsExactly(OPERATOR);
  }

  static List<PolicyRule> allRules(Rendered chart) {
    return Stream.concat(
            chart.all(Role.class).stream().flatMap(r -> r.getRules().stream()),
            chart.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()))
        .toList();
  }

  static String env(Rendered chart, String name) {
    return chart
        .operator()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getEnv()
        .stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }
}
