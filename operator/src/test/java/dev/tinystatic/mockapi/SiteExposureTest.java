package dev.tinystatic.mockapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.api.CacheRule;
import dev.tinystatic.api.IngressTls;
import dev.tinystatic.api.SiteGateway;
import dev.tinystatic.api.SiteIngress;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.testing.FakeKubelet;
import dev.tinystatic.testing.MockCluster;
import dev.tinystatic.testing.ServedContent;
import dev.tinystatic.testing.Sites;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * spec.ingress and spec.gateway on the mock API server: the owned Ingress and HTTPRoute as desired,
 * their removal with the field, status.url and the Routed condition, and a cluster without the
 * Gateway API; and spec.headers refused with the site kept serving.
 */
class SiteExposureTest extends MockApiTest {

  private static final AtomicInteger namespaces = new AtomicInteger();

  void start(boolean gatewayApi) throws Exception {
    var cluster = MockCluster.start();
    if (gatewayApi) {
      // API discovery as a cluster with the Gateway API CRDs answers it.
      cluster
          .server()
          .expect()
          .get()
          .withPath("/apis/gateway.networking.k8s.io/v1")
          .andReturn(
              200,
              new APIResourceListBuilder()
                  .withGroupVersion("gateway.networking.k8s.io/v1")
                  .withResources(
                      new APIResourceBuilder()
                          .withName("httproutes")
                          .withKind("HTTPRoute")
                          .withNamespaced(true)
                          .withVerbs("get", "list", "watch", "create", "update", "patch", "delete")
                          .build())
                  .build())
          .always();
    }
    ownCluster(cluster.startOperator(), "expose-" + namespaces.incrementAndGet());
  }

  @Test
  void anIngressRoutesTheHostToTheServiceWithTlsFromCertManagerAndGoesWithTheField()
      throws Exception {
    start(false);
    var site = Sites.site(ns, "docs", Map.of("index.html", "docs"));
    var ingress = new SiteIngress();
    ingress.setHost("docs.example.com");
    ingress.setClassName("traefik");
    ingress.setAnnotations(Map.of("traefik.ingress.kubernetes.io/router.entrypoints", "websecure"));
    var tls = new IngressTls();
    tls.setClusterIssuer("letsencrypt");
    ingress.setTls(tls);
    site.getSpec().setIngress(ingress);
    var created = client.resource(site).create();

    Ingress owned = await().atMost(TIMEOUT).until(() -> ingress("docs").get(), i -> i != null);
    assertThat(owned.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid()));
    assertThat(owned.getMetadata().getAnnotations())
        .containsEntry("traefik.ingress.kubernetes.io/router.entrypoints", "websecure")
        .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
    assertThat(owned.getSpec().getIngressClassName()).isEqualTo("traefik");
    var rule = owned.getSpec().getRules().get(0);
    assertThat(rule.getHost()).isEqualTo("docs.example.com");
    var path = rule.getHttp().getPaths().get(0);
    assertThat(path.getPath()).isEqualTo("/");
    assertThat(path.getPathType()).isEqualTo("Prefix");
    assertThat(path.getBackend().getService().getName()).isEqualTo("docs");
    assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
    assertThat(owned.getSpec().getTls())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getHosts()).containsExactly("docs.example.com");
              assertThat(t.getSecretName()).as("what cert-manager writes").isEqualTo("docs-tls");
            });

    awaitExists(deployment("docs"));
    FakeKubelet.rolledOut(client, ns, "docs");
    var ready = awaitCondition("docs", "Ready", "True");
    assertThat(ready.getStatus().getUrl()).isEqualTo("https://docs.example.com/");
    Condition routed = awaitCondition("docs", "Routed", "False", "NoAddress");
    assertThat(routed.getMessage())
        .contains("docs.example.com is not routed yet")
        .contains("class traefik");

    // The ingress controller takes the Ingress up and publishes its address.
    await()
        .atMost(TIMEOUT)
        .ignoreExceptions() // 409 while the operator writes it
        .until(
            () -> {
              Ingress current = ingress("docs").get();
              current.setStatus(
                  new IngressStatusBuilder()
                      .withNewLoadBalancer()
                      .withIngress(
                          new IngressLoadBalancerIngressBuilder().withIp("203.0.113.7").build())
                      .endLoadBalancer()
                      .build());
              client.resource(current).updateStatus();
              return true;
            });
    assertThat(awaitCondition("docs", "Routed", "True", "AddressAssigned").getMessage())
        .contains("203.0.113.7");
    assertThat(condition(site("docs").get(), "Ready").getStatus()).isEqualTo("True");

    edit("docs", spec -> spec.setIngress(null));
    await().atMost(TIMEOUT).until(() -> ingress("docs").get() == null);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = site("docs").get().getStatus();
              assertThat(status.getUrl()).isEqualTo("http://docs." + ns + ".svc:8080");
              assertThat(status.getConditions()).noneMatch(c -> c.getType().equals("Routed"));
            });
  }

  @Test
  void withoutTlsTheUrlIsHttpAndTheDefaultClassIsUsed() throws Exception {
    start(false);
    var site = Sites.site(ns, "plain", Map.of("index.html", "plain"));
    var ingress = new SiteIngress();
    ingress.setHost("plain.example.com");
    ingress.setPath("/blog");
    site.getSpec().setIngress(ingress);
    client.resource(site).create();
    Ingress owned = await().atMost(TIMEOUT).until(() -> ingress("plain").get(), i -> i != null);
    assertThat(owned.getSpec().getIngressClassName()).isNull();
    assertThat(owned.getSpec().getTls()).isEmpty();
    assertThat(owned.getSpec().getRules().get(0).getHttp().getPaths().get(0).getPath())
        .isEqualTo("/blog");
    awaitExists(deployment("plain"));
    FakeKubelet.rolledOut(client, ns, "plain");
    assertThat(awaitCondition("plain", "Ready", "True").getStatus().getUrl())
        .isEqualTo("http://plain.example.com/blog");
  }

  @Test
  void withoutTheGatewayApiTheSiteSaysSoAndNoOtherSiteNoticesOrAnyInformerStarts()
      throws Exception {
    start(false);
    client.resource(gatewaySite("routed")).create();
    client.resource(Sites.site(ns, "other", Map.of("index.html", "other"))).create();
    awaitExists(deployment("other"));
    awaitExists(deployment("routed"));
    FakeKubelet.rolledOut(client, ns, "other");
    FakeKubelet.rolledOut(client, ns, "routed");

    var missing = awaitCondition("routed", "Ready", "False", "GatewayApiMissing");
    assertThat(missing.getMessage())
        .contains("gateway.networking.k8s.io/v1 HTTPRoute")
        .contains("install its CRDs")
        .contains("serves through its Service meanwhile");
    assertThat(ServedContent.files(client, ns, "routed")).containsEntry("index.html", "routed");
    awaitWarning("routed", "GatewayApiMissing");
    awaitCondition("other", "Ready", "True");

    List<String> paths = new ArrayList<>();
    KubernetesMockServer server = cluster.server();
    for (var request = server.takeRequest(100, TimeUnit.MILLISECONDS);
        request != null;
        request = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
      paths.add(request.getMethod() + " " + request.getPath());
    }
    assertThat(paths)
        .as("asked discovery, never listed or watched HTTPRoutes")
        .anyMatch(p -> p.equals("GET /apis/gateway.networking.k8s.io/v1"))
        .noneMatch(p -> p.contains("httproutes"));
  }

  @Test
  void anHttpRouteAttachesToTheGatewaysAndGoesWithTheField() throws Exception {
    start(true);
    var created = client.resource(gatewaySite("routed")).create();
    HTTPRoute route =
        await()
            .atMost(TIMEOUT)
            .until(
                () -> client.resources(HTTPRoute.class).inNamespace(ns).withName("routed").get(),
                r -> r != null);
    assertThat(route.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid()));
    assertThat(route.getSpec().getParentRefs())
        .singleElement()
        .satisfies(
            parent -> {
              assertThat(parent.getName()).isEqualTo("public");
              assertThat(parent.getNamespace()).isEqualTo("gateways");
              assertThat(parent.getSectionName()).isEqualTo("https");
            });
    assertThat(route.getSpec().getHostnames()).containsExactly("www.example.com");
    var backend = route.getSpec().getRules().get(0).getBackendRefs().get(0);
    assertThat(backend.getName()).isEqualTo("routed");
    assertThat(backend.getPort()).isEqualTo(8080);
    awaitExists(deployment("routed"));
    FakeKubelet.rolledOut(client, ns, "routed");
    awaitCondition("routed", "Ready", "True");
    awaitCondition("routed", "Routed", "False", "NotAccepted");

    edit("routed", spec -> spec.setGateway(null));
    await()
        .atMost(TIMEOUT)
        .until(
            () ->
                client.resources(HTTPRoute.class).inNamespace(ns).withName("routed").get() == null);
  }

  @Test
  void aRefusedHeaderOrCacheRuleIsReportedAndTheLastGoodSiteKeepsServing() throws Exception {
    start(false);
    var site = Sites.site(ns, "careful", Map.of("index.html", "good"));
    site.getSpec().setHeaders(Map.of("Content-Security-Policy", "default-src 'self'"));
    client.resource(site).create();
    awaitExists(deployment("careful"));
    FakeKubelet.rolledOut(client, ns, "careful");
    awaitCondition("careful", "Ready", "True");
    var content = client.configMaps().inNamespace(ns).withName("careful-content");
    String headers = ServedContent.headersFile(content.get());
    assertThat(headers).contains("Content-Security-Policy: default-src 'self'\r\n");

    edit(
        "careful",
        spec -> {
          spec.getFiles().put("index.html", "bad");
          spec.setHeaders(Map.of("X-Evil", "a\r\nSet-Cookie: x=1"));
        });
    var refused = awaitCondition("careful", "ContentReady", "False", "InvalidHeader");
    assertThat(refused.getMessage()).contains("spec.headers.X-Evil").contains("line break");
    awaitWarning("careful", "InvalidHeader");
    assertThat(ServedContent.siteFiles(content.get())).containsEntry("index.html", "good");
    assertThat(ServedContent.headersFile(content.get())).isEqualTo(headers);

    edit(
        "careful",
        spec -> {
          spec.setHeaders(null);
          spec.setCache(List.of(new CacheRule("assets/[a-z]*", "max-age=60")));
        });
    assertThat(awaitCondition("careful", "ContentReady", "False", "InvalidCacheRule").getMessage())
        .contains("spec.cache[0].match");

    edit(
        "careful",
        spec -> {
          spec.setCache(null);
          spec.setNotFound("404.html");
        });
    assertThat(
            awaitCondition("careful", "ContentReady", "False", "NotFoundPageMissing").getMessage())
        .contains("'404.html'");

    edit("careful", spec -> spec.getFiles().put("404.html", "gone"));
    awaitCondition("careful", "ContentReady", "True");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var server =
                  deployment("careful")
                      .get()
                      .getSpec()
                      .getTemplate()
                      .getSpec()
                      .getContainers()
                      .get(0);
              assertThat(server.getArgs()).containsSequence("-n", "404.html");
            });
  }

  private TinyStaticSite gatewaySite(String name) {
    var site = Sites.site(ns, name, Map.of("index.html", name));
    var gateway = new SiteGateway();
    var parent = new SiteGateway.ParentRef();
    parent.setName("public");
    parent.setNamespace("gateways");
    parent.setSectionName("https");
    gateway.setParentRefs(List.of(parent));
    gateway.setHostnames(List.of("www.example.com"));
    site.getSpec().setGateway(gateway);
    return site;
  }

  private Resource<Ingress> ingress(String name) {
    return client.network().v1().ingresses().inNamespace(ns).withName(name);
  }

  private Condition awaitCondition(String name, String type, String status, String reason) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> conditionOf(name, type).orElse(null),
            c -> c != null && c.getStatus().equals(status) && c.getReason().equals(reason));
  }

  private Optional<Condition> conditionOf(String name, String type) {
    var site = site(name).get();
    return site == null || site.getStatus() == null
        ? Optional.empty()
        : site.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals(type))
            .findFirst();
  }
}
