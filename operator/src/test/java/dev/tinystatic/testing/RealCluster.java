package dev.tinystatic.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import dev.tinystatic.server.ServerImage;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The real Kubernetes cluster the end-to-end tests run against, one per test JVM: any cluster given
 * by {@code TINYSTATIC_E2E_KUBECONFIG} and a registry both this JVM and the nodes reach ({@code
 * TINYSTATIC_E2E_REGISTRY}), else k3s and a registry in Docker where Docker runs, else none (the
 * tests skip, saying how to give one). The CRD is applied and the generic server image pushed to
 * the registry once; each test class works in namespaces of its own and deletes them.
 */
public final class RealCluster {

  /** A kubeconfig (path) of the cluster under test, with rights to install CRDs and RBAC. */
  public static final String KUBECONFIG = "TINYSTATIC_E2E_KUBECONFIG";

  /** {@code host[:port][/path]}: where this JVM pushes images, which the nodes pull. */
  public static final String REGISTRY = "TINYSTATIC_E2E_REGISTRY";

  /** The same registry as the nodes name it, when they name it differently. */
  public static final String PULL_PREFIX = "TINYSTATIC_E2E_PULL_PREFIX";

  /** {@code true}: the registry speaks plain HTTP. */
  public static final String REGISTRY_INSECURE = "TINYSTATIC_E2E_REGISTRY_INSECURE";

  static final String K3S_IMAGE = "rancher/k3s:v1.31.4-k3s1";
  static final String NO_CLUSTER =
      "no real cluster: set "
          + KUBECONFIG
          + " and "
          + REGISTRY
          + " (README.md, Development: ../shared/real-k8s builds one on this kind of machine),"
          + " or run where Docker runs (k3s in Docker)";

  private static RealCluster current;
  private static String unavailable;

  private final String description;
  private final String kubeconfigYaml;
  private final KubernetesClient admin;
  private final String pushRegistry;
  private final String pullRegistry;
  private final boolean insecure;
  private String serverImage;

  private RealCluster(
      String description,
      String kubeconfigYaml,
      String pushRegistry,
      String pullRegistry,
      boolean insecure) {
    this.description = description;
    this.kubeconfigYaml = kubeconfigYaml;
    this.admin =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
    this.pushRegistry = pushRegistry;
    this.pullRegistry = pullRegistry;
    this.insecure = insecure;
  }

  /** The cluster of this run; skips the calling test, saying why, when there is none. */
  public static RealCluster get() {
    assumeTrue(find().isPresent(), unavailable);
    return current;
  }

  /** The cluster of this run, found (or started) once; empty, with {@link #why()}, without one. */
  public static synchronized Optional<RealCluster> find() {
    if (current == null && unavailable == null) {
      try {
        current = fromEnvironment(System::getenv).orElseGet(RealCluster::k3sInDocker);
        current.installCrd();
      } catch (MissingCluster e) {
        unavailable = e.getMessage();
      }
    }
    return Optional.ofNullable(current);
  }

  /** Why there is no cluster (after {@link #find()} found none). */
  static String why() {
    return unavailable;
  }

  /**
   * Runs a test class only where there is a real cluster; elsewhere it is reported skipped, with
   * how to give one.
   */
  public static final class Required implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return find().isPresent()
          ? ConditionEvaluationResult.enabled("on " + current.description())
          : ConditionEvaluationResult.disabled(why());
    }
  }

  /**
   * The cluster the environment names, if any. A kubeconfig without a registry is a mistake, told
   * as such rather than skipped.
   */
  static Optional<RealCluster> fromEnvironment(Function<String, String> env) {
    String kubeconfig = blankToNull(env.apply(KUBECONFIG));
    if (kubeconfig == null) {
      return Optional.empty();
    }
    String registry = blankToNull(env.apply(REGISTRY));
    if (registry == null) {
      throw new IllegalStateException(
          KUBECONFIG
              + " is set but "
              + REGISTRY
              + " is not: the end-to-end tests need a registry that this JVM pushes to and"
              + " the nodes pull from (e.g. 127.0.0.1:35000 for ../shared/real-k8s)");
    }
    registry = stripSlash(registry);
    String pull =
        Optional.ofNullable(blankToNull(env.apply(PULL_PREFIX)))
            .map(RealCluster::stripSlash)
            .orElse(registry);
    boolean insecure = "true".equalsIgnoreCase(blankToNull(env.apply(REGISTRY_INSECURE)));
    try {
      return Optional.of(
          new RealCluster(
              "the cluster of " + kubeconfig,
              Files.readString(Path.of(kubeconfig)),
              registry,
              pull,
              insecure));
    } catch (IOException e) {
      throw new UncheckedIOException(KUBECONFIG + ": cannot read " + kubeconfig, e);
    }
  }

  /**
   * k3s in Docker with a registry container beside it: reached from here through its mapped port,
   * from k3s's containerd as {@code registry:5000} (a registries.yaml mirror), as k3d and kind do.
   */
  private static RealCluster k3sInDocker() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new MissingCluster(NO_CLUSTER);
    }
    var network = Network.newNetwork();
    var registry =
        new GenericContainer<>(DockerImageName.parse("registry:2.8.3"))
            .withNetwork(network)
            .withNetworkAliases("registry")
            .withExposedPorts(5000);
    var k3s =
        new K3sContainer(DockerImageName.parse(K3S_IMAGE))
            .withNetwork(network)
            .withCopyToContainer(
                Transferable.of(
                    """
                    mirrors:
                      "registry:5000":
                        endpoint:
                          - "http://registry:5000"
                    """),
                "/etc/rancher/k3s/registries.yaml");
    registry.start();
    k3s.start();
    return new RealCluster(
        "k3s " + K3S_IMAGE + " in Docker",
        k3s.getKubeConfigYaml(),
        "127.0.0.1:" + registry.getMappedPort(5000),
        "registry:5000",
        true);
  }

  private void installCrd() {
    try (var crd = Files.newInputStream(Crds.SITES)) {
      admin.load(crd).forceConflicts().serverSideApply(); // this build's CRD wins
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client with the kubeconfig's (admin) rights: what a user and the tests do. */
  public KubernetesClient admin() {
    return admin;
  }

  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  public String description() {
    return description;
  }

  /**
   * The operator's registry settings for Image delivery, as its environment: pushed under {@code
   * REGISTRY/tinystatic-e2e/sites}, pulled by the nodes under the pull prefix.
   */
  public Map<String, String> registryEnvironment() {
    return Map.of(
        "TINYSTATIC_REGISTRY", pushRegistry + "/tinystatic-e2e/sites",
        "TINYSTATIC_REGISTRY_PULL_PREFIX", pullRegistry + "/tinystatic-e2e/sites",
        "TINYSTATIC_REGISTRY_INSECURE", Boolean.toString(insecure));
  }

  /** Where the nodes pull site images from (what a Deployment names). */
  public String pullPrefix() {
    return pullRegistry + "/tinystatic-e2e/sites";
  }

  /**
   * The generic server image of this build, pushed once to the registry, as the nodes pull it (by
   * digest): the image of ConfigMap delivery.
   */
  public synchronized String serverImage() {
    if (serverImage == null) {
      String digest =
          ImagePush.push(
              ServerImage.generic(), pushRegistry, "tinystatic-e2e/server", "test", insecure);
      serverImage = pullRegistry + "/tinystatic-e2e/server@" + digest;
    }
    return serverImage;
  }

  /**
   * Pushes an image archive ({@code docker save} format, as Jib's {@code buildTar} writes it) to
   * the registry as {@code repository:tag} and returns the reference the nodes pull it by.
   */
  public String pushArchive(Path archive, String repository, String tag) throws Exception {
    var target =
        RegistryImage.named(ImageReference.parse(pushRegistry + "/" + repository + ":" + tag));
    var pushed =
        Jib.from(TarImage.at(archive))
            .containerize(
                Containerizer.to(target)
                    .setAllowInsecureRegistries(insecure)
                    .setBaseImageLayersCache(Path.of("target", "e2e", "jib-cache"))
                    .setApplicationLayersCache(Path.of("target", "e2e", "jib-cache")));
    return pullRegistry + "/" + repository + "@" + pushed.getDigest();
  }

  /**
   * The registry's HTTP status for the manifest an image the nodes pull ({@code
   * PULL_PREFIX/REPO@DIGEST}) names: 200 while it is there, 404 once deleted.
   */
  public int manifestStatus(String pulledImage) throws Exception {
    String repository = pulledImage.substring(pullRegistry.length() + 1, pulledImage.indexOf('@'));
    String digest = pulledImage.substring(pulledImage.indexOf('@') + 1);
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(
                    (insecure ? "http://" : "https://")
                        + pushRegistry
                        + "/v2/"
                        + repository
                        + "/manifests/"
                        + digest))
            .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
            .header(
                "Accept",
                "application/vnd.oci.image.index.v1+json,"
                    + " application/vnd.oci.image.manifest.v1+json")
            .build();
    return java.net.http.HttpClient.newHttpClient()
        .send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** A new namespace named {@code prefix-<random>}; the caller deletes it. */
  public String newNamespace(String prefix) {
    String name =
        prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    Namespace namespace =
        new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
    admin.resource(namespace).create();
    return name;
  }

  /** Deletes namespaces (and so everything in them) without waiting for them to go. */
  public void deleteNamespaces(String... names) {
    for (String name : names) {
      admin.namespaces().withName(name).delete();
    }
  }

  /** How long a real cluster may take to roll pods out. */
  public static Duration rolloutTimeout() {
    return Duration.ofMinutes(3);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String stripSlash(String value) {
    return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
  }

  /** No cluster to run against: the tests skip with this message. */
  static final class MissingCluster extends RuntimeException {
    MissingCluster(String message) {
      super(message);
    }
  }
}
