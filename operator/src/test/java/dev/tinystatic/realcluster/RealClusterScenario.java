package dev.tinystatic.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.scenario.SiteLifecycleScenario;
import dev.tinystatic.testing.ChartServiceAccount;
import dev.tinystatic.testing.OperatorProcess;
import dev.tinystatic.testing.RealCluster;
import dev.tinystatic.testing.ServiceProxy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenarios on a real cluster (see {@link RealCluster}: any cluster given to the end-to-end
 * suite, or k3s in Docker): the operator runs as its own process, as it runs in its pod, with a
 * token of the Helm chart's own ServiceAccount (never the admin's), electing a leader as the chart
 * configures it; real pods, HTTP through the site's Service, real garbage collection. After the
 * scenarios its log must hold no refused (403) request: the chart grants all it needs.
 */
@org.junit.jupiter.api.extension.ExtendWith(RealCluster.Required.class)
public abstract class RealClusterScenario extends SiteLifecycleScenario {

  protected static final Path WORK = Path.of("target", "e2e");

  private static RealCluster cluster;
  private static String system;
  private static String sites;
  private static ChartServiceAccount identity;
  private static OperatorProcess operator;

  /**
   * The cluster, and two new namespaces: the operator's ({@link #systemNamespace()}) and the sites'
   * ({@link #sitesNamespace()}).
   */
  protected static RealCluster prepare() {
    cluster = RealCluster.get();
    system = cluster.newNamespace("tinystatic-e2e");
    sites = cluster.newNamespace("e2e-sites");
    return cluster;
  }

  /**
   * Installs the chart's identity for a release of its own (watching one namespace of sites) and
   * starts the operator with {@code config} (TINYSTATIC_* settings) as a process under it.
   */
  static void startOperator(Map<String, String> config) throws Exception {
    prepare();
    identity =
        ChartServiceAccount.install(
            cluster,
            system,
            system,
            Map.of("watchNamespaces[0]", sites),
            WORK.resolve("kubeconfigs"));
    Map<String, String> env = new HashMap<>(config);
    env.put("TINYSTATIC_NAMESPACE", system);
    env.put("TINYSTATIC_WATCH_NAMESPACES", sites);
    env.put("TINYSTATIC_LEADER_ELECTION", "true");
    operator =
        OperatorProcess.start(system, identity.kubeconfig(), env, WORK.resolve("logs"))
            .awaitStarted(Duration.ofMinutes(1));
  }

  /** Deletes the sites (while the operator still runs), stops it, checks its log, cleans up. */
  static void stopOperator() throws Exception {
    finish(
        () -> {
          if (operator != null) {
            operator.assertNoForbidden();
            operator.stopGracefully();
          }
          if (identity != null) {
            identity.close();
          }
        });
  }

  /**
   * Deletes the sites and waits for them to go (the operator still runs, so anything it must do on
   * deletion is done), then runs {@code stopOperator} and deletes the namespaces.
   */
  protected static void finish(ThrowingRunnable stopOperator) throws Exception {
    if (cluster == null) {
      return;
    }
    try {
      if (sites != null) {
        cluster.admin().resources(TinyStaticSite.class).inNamespace(sites).delete();
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () ->
                    cluster
                        .admin()
                        .resources(TinyStaticSite.class)
                        .inNamespace(sites)
                        .list()
                        .getItems()
                        .isEmpty());
      }
      stopOperator.run();
    } finally {
      cluster.deleteNamespaces(sites, system);
    }
  }

  /** Something to do that may throw. */
  @FunctionalInterface
  protected interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** The operator's namespace (its release namespace). */
  protected static String systemNamespace() {
    return system;
  }

  /** The namespace of the sites. */
  protected static String sitesNamespace() {
    return sites;
  }

  /** The generic server image, pushed to the cluster's registry for its nodes. */
  protected static String serverImage() {
    return RealCluster.get().serverImage();
  }

  @Override
  protected KubernetesClient client() {
    return cluster.admin();
  }

  @Override
  protected String namespace() {
    return sites;
  }

  @Override
  protected Duration rolloutTimeout() {
    return RealCluster.rolloutTimeout();
  }

  @Override
  protected void podsRunTheCurrentTemplate(String namespace, String site) {
    // A real kubelet: nothing to play; the scenario waits for Ready.
  }

  /** GET through the site's Service (the API server's service proxy); must answer 200. */
  @Override
  protected String fetch(String namespace, String site, String path) throws Exception {
    var response = ServiceProxy.get(cluster.admin(), namespace, site, path, Map.of());
    assertThat(response.status()).as("GET %s: %s", path, response.text()).isEqualTo(200);
    return response.text();
  }

  /** Through the site's Service (the API server's service proxy), any status. */
  @Override
  protected ServiceProxy.Response request(
      String namespace, String site, String path, Map<String, String> headers) throws Exception {
    return ServiceProxy.get(cluster.admin(), namespace, site, path, headers);
  }

  /** Kubernetes' garbage collector removes what the site owned. */
  @Override
  protected void assertDeletedWithTheSite(List<HasMetadata> owned) {
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(owned).allSatisfy(o -> assertThat(client().resource(o).get()).isNull()));
  }
}
