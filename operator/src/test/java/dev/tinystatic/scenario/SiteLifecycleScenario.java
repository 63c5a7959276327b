package dev.tinystatic.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.testing.Edits;
import dev.tinystatic.testing.Sites;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The user's whole story with one site, written once and run against two clusters: the mock API
 * server here (with a stand-in kubelet), and a real k3s wherever Docker runs. Apply, see it served,
 * edit it and see the new content served, delete it and see its objects go.
 */
public abstract class SiteLifecycleScenario {

  protected static final String NAMESPACE = "lifecycle";
  protected static final String SITE = "hello";

  /** A client for the cluster, with the CRD installed and the operator running. */
  protected abstract KubernetesClient client();

  /** How long the cluster may take to roll pods out. */
  protected abstract Duration rolloutTimeout();

  /** Waits until the site's pods run its current Deployment (the mock has to play kubelet). */
  protected abstract void podsRunTheCurrentTemplate(String namespace, String site);

  /** The body the site serves at {@code path}. */
  protected abstract String fetch(String namespace, String site, String path) throws Exception;

  /** Checks that deleting the site takes {@code owned} with it. */
  protected abstract void assertDeletedWithTheSite(List<HasMetadata> owned);

  /** What the delivery under test promises of the pod spec (e.g. no volumes). */
  protected void checkPodSpec(io.fabric8.kubernetes.api.model.PodSpec pod) {}

  @Test
  void applyServeEditServeDelete() throws Exception {
    var client = client();
    var namespace =
        new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build();
    if (client.resource(namespace).get() == null) {
      client.resource(namespace).create();
    }
    var site =
        Sites.site(
            NAMESPACE,
            SITE,
            Map.of("index.html", "<h1>Hello</h1>", "css/site.css", "h1 { color: teal }"));
    client.resource(site).create();

    var deployment =
        await()
            .atMost(rolloutTimeout())
            .until(
                () -> client.apps().deployments().inNamespace(NAMESPACE).withName(SITE).get(),
                d -> d != null);
    var service = client.services().inNamespace(NAMESPACE).withName(SITE).get();
    var content = client.configMaps().inNamespace(NAMESPACE).withName(SITE + "-content").get();
    assertThat(List.<HasMetadata>of(deployment, service, content))
        .allSatisfy(
            owned ->
                assertThat(owned.getMetadata().getOwnerReferences())
                    .anySatisfy(ref -> assertThat(ref.getName()).isEqualTo(SITE)));

    podsRunTheCurrentTemplate(NAMESPACE, SITE);
    awaitReady();
    checkPodSpec(
        client
            .apps()
            .deployments()
            .inNamespace(NAMESPACE)
            .withName(SITE)
            .get()
            .getSpec()
            .getTemplate()
            .getSpec());
    assertThat(fetch(NAMESPACE, SITE, "/")).isEqualTo("<h1>Hello</h1>");
    assertThat(fetch(NAMESPACE, SITE, "/css/site.css")).isEqualTo("h1 { color: teal }");

    Edits.edit(
        sites().withName(SITE),
        s -> {
          s.getSpec().getFiles().put("index.html", "<h1>Hello again</h1>");
          return s;
        });
    await().atMost(rolloutTimeout()).until(() -> !deploymentHash().equals(hashOf(deployment)));
    podsRunTheCurrentTemplate(NAMESPACE, SITE);
    awaitReady();
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .until(() -> fetch(NAMESPACE, SITE, "/"), "<h1>Hello again</h1>"::equals);

    sites().withName(SITE).delete();
    assertDeletedWithTheSite(List.of(deployment, service, content));
  }

  @Test
  void aSiteNeverTakesOverAnObjectOfItsNameThatItDoesNotOwn() {
    var client = client();
    var namespace =
        new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build();
    if (client.resource(namespace).get() == null) {
      client.resource(namespace).create();
    }
    client
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata()
                .withName("taken")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(9999)
                .endPort()
                .endSpec()
                .build())
        .create();
    client.resource(Sites.site(NAMESPACE, "taken", Map.of("index.html", "mine?"))).create();

    // ignoreExceptions: until the first status, there is no Ready condition to find
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var ready =
                  sites().withName("taken").get().getStatus().getConditions().stream()
                      .filter(c -> "Ready".equals(c.getType()))
                      .findFirst()
                      .orElseThrow();
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("NameConflict");
              assertThat(ready.getMessage())
                  .contains("a Service named taken exists and is not owned by this site");
            });
    assertThat(client.v1().events().inNamespace(NAMESPACE).list().getItems())
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("NameConflict");
            });
    var service = client.services().inNamespace(NAMESPACE).withName("taken").get();
    assertThat(service.getSpec().getPorts().get(0).getPort())
        .as("the user's Service is untouched")
        .isEqualTo(9999);
    assertThat(service.getMetadata().getOwnerReferences()).isEmpty();
    sites().withName("taken").delete();
  }

  private void awaitReady() {
    await()
        .atMost(rolloutTimeout())
        .untilAsserted(
            () -> {
              var status = sites().withName(SITE).get().getStatus();
              assertThat(status).isNotNull();
              assertThat(status.getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Ready");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
              assertThat(status.getContentHash()).isEqualTo(deploymentHash());
            });
  }

  private String deploymentHash() {
    return hashOf(client().apps().deployments().inNamespace(NAMESPACE).withName(SITE).get());
  }

  private static String hashOf(io.fabric8.kubernetes.api.model.apps.Deployment deployment) {
    return deployment
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("tinystatic.dev/content-hash");
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          TinyStaticSite,
          io.fabric8.kubernetes.api.model.KubernetesResourceList<TinyStaticSite>,
          io.fabric8.kubernetes.client.dsl.Resource<TinyStaticSite>>
      sites() {
    return client().resources(TinyStaticSite.class).inNamespace(NAMESPACE);
  }
}
