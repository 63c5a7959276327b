package dev.tinystatic.testing;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Helm chart's own identity on a real cluster: its ServiceAccount and RBAC, rendered by the
 * real Helm library and applied (nothing else of the chart), and a kubeconfig that authenticates as
 * that ServiceAccount with a short-lived token. An operator run with it has exactly the chart's
 * rights, never the admin's: a missing permission shows as a 403.
 */
public final class ChartServiceAccount implements AutoCloseable {

  public static final Path CHART = Path.of("..", "deploy", "helm", "tinystatic");
  private static final Set<String> IDENTITY_KINDS =
      Set.of("ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");

  private final RealCluster cluster;
  private final List<HasMetadata> installed;
  private final Path kubeconfig;

  private ChartServiceAccount(RealCluster cluster, List<HasMetadata> installed, Path kubeconfig) {
    this.cluster = cluster;
    this.installed = installed;
    this.kubeconfig = kubeconfig;
  }

  /**
   * Renders the chart as release {@code release} in {@code namespace} with {@code values}, applies
   * its ServiceAccount and RBAC, and writes a kubeconfig for the ServiceAccount into {@code dir}.
   */
  public static ChartServiceAccount install(
      RealCluster cluster, String release, String namespace, Map<String, String> values, Path dir)
      throws IOException {
    Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    var template = new Helm(CHART).template().withName(release).withNamespace(namespace);
    values.forEach(template::set);
    String yaml = template.call();
    var admin = cluster.admin();
    List<HasMetadata> identity = new ArrayList<>();
    for (HasMetadata object :
        admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      if (IDENTITY_KINDS.contains(object.getKind())) {
        identity.add(admin.resource(object).serverSideApply());
      }
    }
    ServiceAccount account =
        identity.stream()
            .filter(ServiceAccount.class::isInstance)
            .map(ServiceAccount.class::cast)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the chart made no ServiceAccount"));
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(account.getMetadata().getName())
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(2 * 3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Path kubeconfig = dir.resolve(release + ".kubeconfig");
    Files.createDirectories(dir);
    Files.writeString(kubeconfig, kubeconfig(admin.getConfiguration(), namespace, token));
    return new ChartServiceAccount(cluster, identity, kubeconfig);
  }

  /** A kubeconfig for this ServiceAccount (the cluster's address and CA, its token). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  private static String kubeconfig(Config admin, String namespace, String token) {
    String ca = admin.getCaCertData();
    if (ca == null && admin.getCaCertFile() != null) {
      try {
        ca = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(admin.getCaCertFile())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String cluster =
        ca != null
            ? "certificate-authority-data: " + ca
            : "insecure-skip-tls-verify: " + admin.isTrustCerts();
    return """
    apiVersion: v1
    kind: Config
    clusters:
    - name: e2e
      cluster:
        server: %s
        %s
    users:
    - name: operator
      user:
        token: %s
    contexts:
    - name: operator
      context: {cluster: e2e, user: operator, namespace: %s}
    current-context: operator
    """
        .formatted(admin.getMasterUrl(), cluster, token, namespace);
  }

  /** Deletes what was installed (the namespaced part goes with its namespace anyway). */
  @Override
  public void close() {
    for (HasMetadata object : installed) {
      cluster.admin().resource(object).delete();
    }
  }
}
