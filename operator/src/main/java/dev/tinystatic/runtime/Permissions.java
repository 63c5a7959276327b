package dev.tinystatic.runtime;

import java.util.List;

/**
 * Every Kubernetes permission the operator needs, in one place: the Helm chart's RBAC is tested
 * against this list (no more, no less).
 */
public final class Permissions {

  /** One RBAC rule: verbs on a resource of an API group ("" is the core group). */
  public record Rule(String apiGroup, String resource, List<String> verbs) {}

  /** All the verbs on an object the operator creates, keeps as desired and deletes. */
  private static final List<String> MANAGE =
      List.of("get", "list", "watch", "create", "update", "patch", "delete");

  /**
   * Watched and reconciled: the sites, and the status the operator writes. {@code patch} on the
   * sites themselves adds and removes the finalizer that deletes a deleted site's images.
   */
  public static final List<Rule> SITES =
      List.of(
          new Rule("tinystatic.dev", "tinystaticsites", List.of("get", "list", "watch", "patch")),
          new Rule("tinystatic.dev", "tinystaticsites/status", List.of("get", "patch", "update")));

  /**
   * Owned objects: created and kept as desired (server-side apply patches; plain updates for
   * ConfigMaps and where apply is off), garbage-collected by Kubernetes with their site. Deleted by
   * the operator itself: an Atomic site's past revisions (Deployments, revision ConfigMaps), the
   * rolled Deployment and its ConfigMap once an Atomic revision serves, a PodDisruptionBudget below
   * two replicas. ConfigMaps are also read for spec.contentFrom.
   */
  public static final List<Rule> OWNED =
      List.of(
          new Rule("", "configmaps", MANAGE),
          new Rule("", "services", List.of("get", "list", "watch", "create", "update", "patch")),
          new Rule("apps", "deployments", MANAGE),
          new Rule("policy", "poddisruptionbudgets", MANAGE));

  /**
   * A site's host (spec.ingress, spec.gateway): owned like the others, and deleted by the operator
   * when the site drops the field. HTTPRoutes are only watched on clusters that serve the Gateway
   * API; the rule is harmless elsewhere.
   */
  public static final List<Rule> EXPOSURE =
      List.of(
          new Rule("networking.k8s.io", "ingresses", MANAGE),
          new Rule("gateway.networking.k8s.io", "httproutes", MANAGE));

  /** Events recorded on sites. */
  public static final List<Rule> EVENTS = List.of(new Rule("", "events", List.of("create")));

  /**
   * Leader election, in the operator's own namespace only: Fabric8's elector renews and takes over
   * its Lease with a JSON merge patch, so {@code patch} (without it no leader ever renews).
   */
  public static final List<Rule> LEADER_ELECTION =
      List.of(
          new Rule("coordination.k8s.io", "leases", List.of("get", "create", "update", "patch")));

  /**
   * Image delivery's push credentials: read with one GET per bake, limited by the chart to the one
   * Secret named by TINYSTATIC_REGISTRY_SECRET (resourceNames), in the operator's namespace.
   */
  public static final List<Rule> REGISTRY_SECRET = List.of(new Rule("", "secrets", List.of("get")));

  private Permissions() {}

  /** What the operator needs in each namespace it watches (or cluster-wide when it watches all). */
  public static List<Rule> watched() {
    return java.util.stream.Stream.of(SITES, OWNED, EXPOSURE, EVENTS)
        .flatMap(List::stream)
        .toList();
  }
}
