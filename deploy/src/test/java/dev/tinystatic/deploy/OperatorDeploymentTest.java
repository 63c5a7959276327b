package dev.tinystatic.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinystatic.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's Deployment: restricted pod security, probes, and every value honoured. */
class OperatorDeploymentTest {

  static final String VERSION = System.getProperty("tinystatic.version", "0.1.0-SNAPSHOT");

  @Test
  void podMeetsTheRestrictedPodSecurityStandard() {
    Rendered chart = Chart.withDefaults().render();
    PodSpec pod = chart.operator().getSpec().getTemplate().getSpec();
    Container container = operatorContainer(chart.operator());

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var security = container.getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isEmpty();
    assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    // The one writable place: an emptyDir at /tmp for the JVM and Jib.
    assertThat(pod.getVolumes())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getEmptyDir()).isNotNull();
              assertThat(v.getHostPath()).isNull();
            });
    assertThat(container.getVolumeMounts())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getName()).isEqualTo(pod.getVolumes().get(0).getName());
              assertThat(m.getMountPath()).isEqualTo("/tmp");
            });
    // Only the operator pod gets an API token; the ServiceAccount hands none out by default.
    assertThat(pod.getAutomountServiceAccountToken()).isTrue();
    assertThat(
            chart
                .one(ServiceAccount.class, "tinystatic", Chart.NAMESPACE)
                .getAutomountServiceAccountToken())
        .isFalse();
    assertThat(pod.getServiceAccountName()).isEqualTo("tinystatic");
    assertThat(pod.getTerminationGracePeriodSeconds()).isBetween(20L, 60L);
  }

  @Test
  void probesUseTheManagementPortTheOperatorIsToldToOpen() {
    Rendered chart = Chart.withDefaults().render();
    Container container = operatorContainer(chart.operator());

    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("management");
              assertThat(p.getContainerPort()).isEqualTo(8081);
            });
    assertThat(env(container).get(OperatorConfig.HEALTH_PORT)).isEqualTo("8081");
    assertProbe(container.getLivenessProbe(), "/healthz");
    assertProbe(container.getReadinessProbe(), "/readyz");
    assertProbe(container.getStartupProbe(), "/healthz");
  }

  @Test
  void defaultsRunTheImageOfThisVersionWithJsonLogsAndTheOperatorsOwnServerImage() {
    Rendered chart = Chart.withDefaults().render();
    Deployment deployment = chart.operator();
    Container container = operatorContainer(deployment);
    Map<String, String> env = env(container);

    assertThat(container.getImage()).isEqualTo("tinystatic/operator:" + VERSION);
    assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    // Leader election by default: a rolling update starts the new pod as a standby.
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(env)
        .containsEntry("TINYSTATIC_WATCH_NAMESPACES", "")
        .containsEntry("TINYSTATIC_LEADER_ELECTION", "true")
        .containsEntry("TINYSTATIC_LOG_LEVEL", "INFO")
        .containsEntry("TINYSTATIC_LOG_FORMAT", "json")
        .doesNotContainKeys(
            "TINYSTATIC_SERVER_IMAGE",
            "TINYSTATIC_REGISTRY",
            "TINYSTATIC_REGISTRY_PULL_PREFIX",
            "TINYSTATIC_REGISTRY_INSECURE",
            "TINYSTATIC_REGISTRY_SECRET",
            "TINYSTATIC_IMAGE_PULL_SECRETS");
    assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=75");
    EnvVar namespace = envVar(container, OperatorConfig.NAMESPACE);
    assertThat(namespace.getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
  }

  @Test
  void theOperatorsDefaultServerImageIsTheOneTheServerBuildMakes() {
    assumeTrue(
        OperatorConfig.class.getResource("/tinystatic/server/image.properties") != null,
        "the server jar on the classpath has no image.properties (stale in ~/.m2?):"
            + " build with mvn -B -pl deploy -am verify");

    assertThat(OperatorConfig.defaultServerImage()).isEqualTo("tinystatic/server:" + VERSION);
  }

  @Test
  void theOperatorReadsTheEnvironmentTheChartGivesIt() {
    Rendered chart =
        Chart.withDefaults()
            .setList("watchNamespaces", "web", "docs")
            .set("replicaCount", 2)
            .set("serverImage", "registry.example/tinystatic/server:9.9.9")
            .render();
    Map<String, String> env = env(operatorContainer(chart.operator()));

    OperatorConfig config = OperatorConfig.from(env);

    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("web", "docs");
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.healthPort()).isEqualTo(8081);
    assertThat(config.serverImage()).isEqualTo("registry.example/tinystatic/server:9.9.9");
    assertThat(config.serverSideApply()).isTrue();
  }

  @Test
  void valuesAreHonoured(@TempDir Path dir) throws Exception {
    Path values = dir.resolve("values.yaml");
    Files.writeString(
        values,
        """
        image:
          repository: registry.example/platform/tinystatic-operator
          tag: "1.2.3"
          pullPolicy: Always
        imagePullSecrets: [{name: platform-pull}]
        replicaCount: 3
        serverImage: registry.example/platform/tinystatic-server:1.2.3
        logLevel: DEBUG
        logFormat: text
        javaToolOptions: "-XX:MaxRAMPercentage=60"
        extraEnv:
          - name: HTTPS_PROXY
            value: http://proxy.example:3128
        resources:
          requests: {cpu: 250m, memory: 300Mi}
          limits: {memory: 1Gi}
        nodeSelector:
          kubernetes.io/os: linux
        tolerations:
          - {key: dedicated, operator: Equal, value: platform, effect: NoSchedule}
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
                - matchExpressions:
                    - {key: kubernetes.io/arch, operator: In, values: [amd64]}
        podAnnotations: {team: platform}
        priorityClassName: system-cluster-critical
        terminationGracePeriodSeconds: 45
        """);
    Deployment deployment = Chart.withDefaults().valuesFile(values).render().operator();
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = operatorContainer(deployment);
    Map<String, String> env = env(container);

    assertThat(container.getImage())
        .isEqualTo("registry.example/platform/tinystatic-operator:1.2.3");
    assertThat(container.getImagePullPolicy()).isEqualTo("Always");
    assertThat(pod.getImagePullSecrets())
        .extracting(s -> s.getName())
        .containsExactly("platform-pull");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    // More than one replica: leader election, and rolling updates without a gap.
    assertThat(env).containsEntry("TINYSTATIC_LEADER_ELECTION", "true");
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(
            deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
    assertThat(env)
        .containsEntry(
            "TINYSTATIC_SERVER_IMAGE", "registry.example/platform/tinystatic-server:1.2.3")
        .containsEntry("TINYSTATIC_LOG_LEVEL", "DEBUG")
        .containsEntry("TINYSTATIC_LOG_FORMAT", "text")
        .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=60")
        .containsEntry("HTTPS_PROXY", "http://proxy.example:3128");
    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("300Mi"));
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
    assertThat(pod.getNodeSelector()).containsExactly(Map.entry("kubernetes.io/os", "linux"));
    assertThat(pod.getTolerations())
        .containsExactly(new Toleration("NoSchedule", "dedicated", "Equal", null, "platform"));
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions()
                .get(0)
                .getValues())
        .containsExactly("amd64");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("team", "platform");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(45L);
  }

  @Test
  void registryValuesBecomeTheImageDeliveryEnvironment() {
    Rendered chart =
        Chart.withDefaults()
            .set("registry.url", "registry.example:5000/sites")
            .set("registry.pullPrefix", "localhost:5000/sites")
            .set("registry.insecure", true)
            .set("registry.credentialsSecret", "regcred")
            .setList("registry.imagePullSecrets", "pull-a", "pull-b")
            .set("serverImage", "registry.example/tinystatic/server:9.9.9")
            .render();
    Map<String, String> env = env(operatorContainer(chart.operator()));

    assertThat(env)
        .containsEntry("TINYSTATIC_REGISTRY", "registry.example:5000/sites")
        .containsEntry("TINYSTATIC_REGISTRY_PULL_PREFIX", "localhost:5000/sites")
        .containsEntry("TINYSTATIC_REGISTRY_INSECURE", "true")
        .containsEntry("TINYSTATIC_REGISTRY_SECRET", "regcred")
        .containsEntry("TINYSTATIC_IMAGE_PULL_SECRETS", "pull-a,pull-b");
    OperatorConfig config = OperatorConfig.from(env);
    assertThat(config.registry())
        .hasValueSatisfying(
            registry -> {
              assertThat(registry.pushPrefix()).isEqualTo("registry.example:5000/sites");
              assertThat(registry.pullPrefix()).contains("localhost:5000/sites");
              assertThat(registry.insecure()).isTrue();
              assertThat(registry.credentialsSecret()).contains("regcred");
            });
    assertThat(config.imagePullSecrets()).containsExactly("pull-a", "pull-b");
  }

  @Test
  void pullSecretsForAPrivateServerImageNeedNoRegistry() {
    Rendered chart = Chart.withDefaults().setList("registry.imagePullSecrets", "pull-a").render();

    assertThat(env(operatorContainer(chart.operator())))
        .containsEntry("TINYSTATIC_IMAGE_PULL_SECRETS", "pull-a")
        .doesNotContainKey("TINYSTATIC_REGISTRY");
  }

  @Test
  void aSecureRegistryGetsNoInsecureFlag() {
    Rendered chart = Chart.withDefaults().set("registry.url", "registry.example/sites").render();

    assertThat(env(operatorContainer(chart.operator())))
        .containsEntry("TINYSTATIC_REGISTRY", "registry.example/sites")
        .doesNotContainKeys(
            "TINYSTATIC_REGISTRY_INSECURE",
            "TINYSTATIC_REGISTRY_PULL_PREFIX",
            "TINYSTATIC_REGISTRY_SECRET",
            "TINYSTATIC_IMAGE_PULL_SECRETS");
  }

  @Test
  void registrySettingsWithoutARegistryAreRefused() {
    assertThatThrownBy(
            () -> Chart.withDefaults().set("registry.credentialsSecret", "regcred").render())
        .hasMessageContaining("need registry.url");
  }

  @Test
  void metricsServiceIsAnnotatedForPrometheusAndSelectsTheOperatorPods() {
    Rendered chart = Chart.withDefaults().render();
    Service service = chart.one(Service.class, "tinystatic-metrics", Chart.NAMESPACE);

    assertThat(service.getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8081")
        .containsEntry("prometheus.io/path", "/metrics");
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(8081);
              assertThat(p.getTargetPort().getStrVal()).isEqualTo("management");
            });
    assertThat(chart.operator().getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(chart.operator().getSpec().getSelector().getMatchLabels())
        .isEqualTo(service.getSpec().getSelector())
        .containsEntry("app.kubernetes.io/component", "operator");

    assertThat(Chart.withDefaults().set("metrics.enabled", false).render().all(Service.class))
        .isEmpty();
  }

  @Test
  void aDigestPinsTheOperatorImage() {
    String digest = "sha256:" + "0123456789abcdef".repeat(4);
    Container container =
        operatorContainer(
            Chart.withDefaults()
                .set("image.repository", "registry.example/tinystatic/operator")
                .set("image.tag", "1.2.3")
                .set("image.digest", digest)
                .render()
                .operator());

    assertThat(container.getImage()).isEqualTo("registry.example/tinystatic/operator@" + digest);
  }

  @Test
  void withoutLeaderElectionTheDeploymentIsRecreatedSoTwoOperatorsNeverRunAtOnce() {
    Deployment deployment =
        Chart.withDefaults().set("leaderElection.enabled", false).render().operator();

    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
  }

  @Test
  void theManagementPortIsOneValueForProbesEnvironmentAndMetrics() {
    Rendered chart = Chart.withDefaults().set("managementPort", 9464).render();
    Container container = operatorContainer(chart.operator());
    Service service = chart.one(Service.class, "tinystatic-metrics", Chart.NAMESPACE);

    assertThat(container.getPorts())
        .singleElement()
        .extracting(p -> p.getContainerPort())
        .isEqualTo(9464);
    assertThat(env(container).get(OperatorConfig.HEALTH_PORT)).isEqualTo("9464");
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(9464);
    assertThat(service.getMetadata().getAnnotations()).containsEntry("prometheus.io/port", "9464");
  }

  @Test
  void aServiceMonitorScrapesTheMetricsServiceOnlyWhenAskedFor() {
    assertThat(serviceMonitors(Chart.withDefaults().render())).isEmpty();

    Rendered chart =
        Chart.withDefaults()
            .set("metrics.serviceMonitor.enabled", true)
            .set("metrics.serviceMonitor.labels.release", "prometheus")
            .render();
    var monitor = serviceMonitors(chart).get(0);
    Service service = chart.one(Service.class, "tinystatic-metrics", Chart.NAMESPACE);

    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
    assertThat(chart.all(Service.class))
        .filteredOn(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
        .as("the monitor selects the metrics Service only")
        .containsExactly(service);
    assertThat(monitor.<String>get("spec", "endpoints", 0, "port")).isEqualTo("metrics");
    assertThat(monitor.<String>get("spec", "endpoints", 0, "path")).isEqualTo("/metrics");
  }

  private static List<io.fabric8.kubernetes.api.model.GenericKubernetesResource> serviceMonitors(
      Rendered chart) {
    return chart.all(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class).stream()
        .filter(r -> "ServiceMonitor".equals(r.getKind()))
        .toList();
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe).as(path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
  }

  static Container operatorContainer(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("operator"))
        .findFirst()
        .orElseThrow();
  }

  static EnvVar envVar(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Plain env values by name (a value from elsewhere, e.g. the downward API, maps to null). */
  static Map<String, String> env(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }
}
