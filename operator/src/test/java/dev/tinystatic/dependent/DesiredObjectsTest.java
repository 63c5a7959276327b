package dev.tinystatic.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.api.ServiceType;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.SiteService;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteContentResolver;
import dev.tinystatic.delivery.DeliveryPlan;
import dev.tinystatic.delivery.DeliveryPlanner;
import dev.tinystatic.delivery.Revision;
import dev.tinystatic.server.ServerImage;
import dev.tinystatic.testing.Sites;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every field of the objects a site owns, built from a site the way the operator builds them. */
class DesiredObjectsTest {

  static final String IMAGE = "tinystatic/server:1.2.3";

  @Test
  void deploymentRunsTheServerOnTheSitePortUnderTheRestrictedStandard() throws Exception {
    TinyStaticSite site = Sites.stored(Sites.site("web", "hello", Map.of("index.html", "hi")));
    site.getSpec().setPort(9090);
    site.getSpec().setReplicas(3);
    Deployment deployment = DeploymentDependent.desiredDeployment(site, revision(site));

    assertThat(deployment.getMetadata().getName()).isEqualTo("hello");
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo("web");
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "tinystatic-operator");
    var spec = deployment.getSpec();
    assertThat(spec.getReplicas()).isEqualTo(3);
    assertThat(spec.getSelector().getMatchLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/name",
                "tinystatic",
                "app.kubernetes.io/instance",
                "hello",
                "app.kubernetes.io/managed-by",
                "tinystatic-operator"));
    assertThat(spec.getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(spec.getSelector().getMatchLabels());
    assertThat(spec.getStrategy().getRollingUpdate().getMaxUnavailable())
        .isEqualTo(new IntOrString(0));
    assertThat(spec.getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString(1));
    assertThat(spec.getTemplate().getMetadata().getAnnotations())
        .containsEntry("tinystatic.dev/content-hash", content(site).hash());

    var pod = spec.getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getEnableServiceLinks()).isFalse();
    assertThat(pod.getTerminationGracePeriodSeconds())
        .as("preStop sleep and the server's drain fit in the grace period")
        .isGreaterThan(
            server(pod).getLifecycle().getPreStop().getSleep().getSeconds()
                + ServerImage.DRAIN_SECONDS);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    var server = pod.getContainers().get(0);
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(server.getImage()).isEqualTo(IMAGE);
    assertThat(server.getArgs())
        .as("ConfigMap delivery: the headers file mounted outside the docroot")
        .containsExactly("-p", "9090", "-d", "/site", "-m", "/tinystatic/headers");
    assertThat(server.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getContainerPort()).isEqualTo(9090);
              assertThat(p.getName()).isEqualTo("http");
            });
    assertThat(server.getReadinessProbe().getTcpSocket().getPort())
        .isEqualTo(new IntOrString("http"));
    assertThat(server.getLivenessProbe().getTcpSocket().getPort())
        .isEqualTo(new IntOrString("http"));
    assertThat(server.getReadinessProbe().getHttpGet())
        .as("no probe depends on an index page")
        .isNull();
    assertThat(server.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
    var security = server.getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(server.getResources().getRequests())
        .containsEntry("cpu", new Quantity("10m"))
        .containsEntry("memory", new Quantity("16Mi"));
    assertThat(server.getResources().getLimits())
        .containsEntry("memory", new Quantity("32Mi"))
        .doesNotContainKey("cpu");
    assertThat(server.getVolumeMounts())
        .as("the docroot, and the headers file outside it")
        .extracting(m -> m.getMountPath() + " " + m.getReadOnly())
        .containsExactly("/site true", "/tinystatic true");
    assertThat(pod.getVolumes().get(1).getConfigMap().getItems())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.getKey()).isEqualTo("_headers");
              assertThat(item.getPath()).isEqualTo("headers");
            });
  }

  @Test
  void theContentVolumeMapsEveryKeyBackToItsPathFromBothConfigMaps() throws Exception {
    TinyStaticSite site = Sites.site("web", "docs", Map.of("css/site.css", "h1{}"));
    site.getSpec()
        .setBinaryFiles(Map.of("img/a.png", Base64.getEncoder().encodeToString(new byte[] {1})));
    site.getSpec()
        .setContentFrom(
            new dev.tinystatic.api.ContentFrom(
                new dev.tinystatic.api.ContentFrom.ConfigMapRef("docs-files")));
    var referenced =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("docs-files")
            .addToLabels("tinystatic.dev/content", "true")
            .endMetadata()
            .addToData("index.html", "x")
            .build();
    SiteContent content = SiteContentResolver.resolve(site.getSpec(), Optional.of(referenced));

    var volume = plan(site, content).revision().volumes().get(0);

    assertThat(volume.getProjected().getDefaultMode()).isEqualTo(0444);
    var sources = volume.getProjected().getSources();
    assertThat(sources).hasSize(2);
    assertThat(sources.get(0).getConfigMap().getName()).isEqualTo("docs-content");
    assertThat(sources.get(0).getConfigMap().getItems())
        .extracting(i -> i.getKey() + "->" + i.getPath())
        .containsExactly("css_2fsite.css->css/site.css", "img_2fa.png->img/a.png");
    assertThat(sources.get(1).getConfigMap().getName()).isEqualTo("docs-files");
    assertThat(sources.get(1).getConfigMap().getItems())
        .extracting(i -> i.getKey() + "->" + i.getPath())
        .containsExactly("index.html->index.html");
  }

  @Test
  void theUsersResourcesReplaceTheDefault() throws Exception {
    TinyStaticSite site = Sites.site("web", "big", Map.of("index.html", "hi"));
    site.getSpec()
        .setResources(
            new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("1")))
                .build());
    var deployment = DeploymentDependent.desiredDeployment(site, revision(site));
    assertThat(
            deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getRequests())
        .containsExactly(Map.entry("cpu", new Quantity("1")));
  }

  @Test
  void contentConfigMapHoldsTextInDataAndBinaryInBinaryData() throws Exception {
    TinyStaticSite site = Sites.site("web", "hello", Map.of("index.html", "hi", "css/a.css", "x"));
    site.getSpec().setBinaryFiles(Map.of("favicon.ico", "AAE="));
    var configMap = ContentConfigMapDependent.desiredConfigMap(site, content(site));
    assertThat(configMap.getMetadata().getName()).isEqualTo("hello-content");
    assertThat(configMap.getData())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "index.html",
                "hi",
                "css_2fa.css",
                "x",
                "_headers",
                content(site).serving().headersText()));
    assertThat(configMap.getBinaryData()).containsExactly(Map.entry("favicon.ico", "AAE="));
  }

  @Test
  void serviceExposesTheSitePortByDefault() {
    TinyStaticSite site = Sites.site("web", "hello", Map.of("index.html", "hi"));
    site.getSpec().setPort(8081);
    var service = ServiceDependent.desiredService(site);
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getSelector()).isEqualTo(SiteObjects.selectorLabels(site));
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(8081);
              assertThat(p.getTargetPort()).isEqualTo(new IntOrString("http"));
              assertThat(p.getNodePort()).isNull();
            });
    assertThat(ServiceDependent.url(site)).isEqualTo("http://hello.web.svc:8081");
  }

  @Test
  void serviceTakesItsOwnTypePortAndNodePort() {
    TinyStaticSite site = Sites.site("web", "hello", Map.of("index.html", "hi"));
    var settings = new SiteService();
    settings.setType(ServiceType.NodePort);
    settings.setPort(80);
    settings.setNodePort(30080);
    site.getSpec().setService(settings);
    var service = ServiceDependent.desiredService(site);
    assertThat(service.getSpec().getType()).isEqualTo("NodePort");
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
    assertThat(service.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30080);
    assertThat(ServiceDependent.url(site)).isEqualTo("http://hello.web.svc:80");
  }

  @Test
  void identicalContentGivesAnIdenticalPodTemplateAndOtherContentDoesNot() throws Exception {
    TinyStaticSite one = Sites.site("web", "s", Map.of("index.html", "same"));
    TinyStaticSite two = Sites.site("web", "s", Map.of("index.html", "same"));
    TinyStaticSite other = Sites.site("web", "s", Map.of("index.html", "sane"));
    assertThat(template(one)).isEqualTo(template(two)).isNotEqualTo(template(other));
  }

  private static io.fabric8.kubernetes.api.model.Container server(
      io.fabric8.kubernetes.api.model.PodSpec pod) {
    return pod.getContainers().get(0);
  }

  private static Object template(TinyStaticSite site) throws Exception {
    return DeploymentDependent.desiredDeployment(site, revision(site)).getSpec().getTemplate();
  }

  /** ConfigMap delivery, as an operator configured with the server image IMAGE plans it. */
  private static DeliveryPlan plan(TinyStaticSite site, SiteContent content) {
    return DeliveryPlanner.plan(
        site,
        content,
        OperatorConfig.from(Map.of(OperatorConfig.SERVER_IMAGE, IMAGE)),
        (image, registry) -> {
          throw new AssertionError("no image for ConfigMap delivery");
        });
  }

  private static Revision revision(TinyStaticSite site) throws Exception {
    return plan(site, content(site)).revision();
  }

  private static SiteContent content(TinyStaticSite site) throws Exception {
    return SiteContentResolver.resolve(site.getSpec(), Optional.empty());
  }
}
