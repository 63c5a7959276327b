package dev.tinystatic.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.testing.Edits;
import dev.tinystatic.testing.Sites;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The user's stories with a site, written once and run against every kind of cluster: the mock API
 * server here (with a stand-in kubelet), and a real cluster (any cluster given to the end-to-end
 * suite, or k3s where Docker runs). Apply, see it served, edit it and see the new content served,
 * delete it and see its objects go; objects deleted or edited by hand come back; a bad edit is
 * reported and the last good site keeps serving; an object of the site's name that it does not own
 * is never taken over.
 */
public abstract class SiteLifecycleScenario {

  /** A client for the cluster, with the CRD installed and the operator running. */
  protected abstract KubernetesClient client();

  /** The namespace the sites of this run live in (it exists). */
  protected abstract String namespace();

  /** How long the cluster may take to roll pods out. */
  protected abstract Duration rolloutTimeout();

  /** Waits until the site's pods run its current Deployment (the mock has to play kubelet). */
  protected abstract void podsRunTheCurrentTemplate(String namespace, String site);

  /** The body the site serves at {@code path}. */
  protected abstract String fetch(String namespace, String site, String path) throws Exception;

  /** Checks that deleting the site takes {@code owned} with it. */
  protected abstract void assertDeletedWithTheSite(List<HasMetadata> owned);

  /** What the delivery under test promises of the pod spec (e.g. no volumes). */
  protected void checkPodSpec(PodSpec pod) {}

  @Test
  void applyServeEditServeDelete() throws Exception {
    var client = client();
    String ns = namespace();
    String site = "hello";
    client
        .resource(
            Sites.site(
                ns,
                site,
                Map.of("index.html", "<h1>Hello</h1>", "css/site.css", "h1 { color: teal }")))
        .create();

    var deployment =
        await().atMost(rolloutTimeout()).until(() -> deployment(site).get(), d -> d != null);
    var service = client.services().inNamespace(ns).withName(site).get();
    var content = client.configMaps().inNamespace(ns).withName(site + "-content").get();
    assertThat(List.<HasMetadata>of(deployment, service, content))
        .allSatisfy(
            owned ->
                assertThat(owned.getMetadata().getOwnerReferences())
                    .anySatisfy(ref -> assertThat(ref.getName()).isEqualTo(site)));

    podsRunTheCurrentTemplate(ns, site);
    awaitReady(site);
    checkPodSpec(deployment(site).get().getSpec().getTemplate().getSpec());
    assertThat(fetch(ns, site, "/")).isEqualTo("<h1>Hello</h1>");
    assertThat(fetch(ns, site, "/css/site.css")).isEqualTo("h1 { color: teal }");

    Edits.edit(
        sites().withName(site),
        s -> {
          s.getSpec().getFiles().put("index.html", "<h1>Hello again</h1>");
          return s;
        });
    await()
        .atMost(rolloutTimeout())
        .until(() -> !hashOf(deployment(site).get()).equals(hashOf(deployment)));
    podsRunTheCurrentTemplate(ns, site);
    awaitReady(site);
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .until(() -> fetch(ns, site, "/"), "<h1>Hello again</h1>"::equals);

    sites().withName(site).delete();
    assertDeletedWithTheSite(List.of(deployment, service, content));
  }

  @Test
  void objectsDeletedOrEditedByHandAreRestored() throws Exception {
    var client = client();
    String ns = namespace();
    String site = "sturdy";
    client.resource(Sites.site(ns, site, Map.of("index.html", "keep me"))).create();
    await().atMost(rolloutTimeout()).until(() -> deployment(site).get() != null);
    podsRunTheCurrentTemplate(ns, site);
    awaitReady(site);
    String image = container(deployment(site).get()).getImage();

    var service = client.services().inNamespace(ns).withName(site);
    var content = client.configMaps().inNamespace(ns).withName(site + "-content");
    service.delete();
    content.delete();
    Edits.edit(
        deployment(site),
        d -> {
          container(d).setImage("example.invalid/evil:latest");
          return d;
        });

    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(service.get()).as("the Service is back").isNotNull();
              assertThat(content.get().getData())
                  .containsExactlyEntriesOf(Map.of("index.html", "keep me"));
              assertThat(container(deployment(site).get()).getImage()).isEqualTo(image);
            });
    podsRunTheCurrentTemplate(ns, site);
    awaitReady(site);
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .until(() -> fetch(ns, site, "/"), "keep me"::equals);
    sites().withName(site).delete();
  }

  @Test
  void aBadEditIsReportedAndTheLastGoodSiteKeepsServingUntilItIsFixed() throws Exception {
    var client = client();
    String ns = namespace();
    String site = "careful";
    client.resource(Sites.site(ns, site, Map.of("index.html", "good"))).create();
    await().atMost(rolloutTimeout()).until(() -> deployment(site).get() != null);
    podsRunTheCurrentTemplate(ns, site);
    awaitReady(site);
    String good = hashOf(deployment(site).get());

    Edits.edit(
        sites().withName(site),
        s -> {
          s.getSpec().getFiles().put("../etc/passwd", "x");
          s.getSpec().getFiles().put("index.html", "bad");
          return s;
        });
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              Condition content = condition(site, "ContentReady");
              assertThat(content.getStatus()).isEqualTo("False");
              assertThat(content.getReason()).isEqualTo("InvalidPath");
              assertThat(content.getMessage()).contains("'../etc/passwd'");
              assertThat(condition(site, "Ready").getMessage())
                  .endsWith("the pods keep serving the previous content");
            });
    assertWarning(site, "InvalidPath");
    assertThat(fetch(ns, site, "/")).as("the last good content").isEqualTo("good");

    Edits.edit(
        sites().withName(site),
        s -> {
          s.getSpec().getFiles().remove("../etc/passwd");
          return s;
        });
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .until(() -> condition(site, "ContentReady").getStatus().equals("True"));
    // Image delivery bakes the fixed content first: the pods roll once the Deployment has it.
    await().atMost(rolloutTimeout()).until(() -> !good.equals(hashOf(deployment(site).get())));
    podsRunTheCurrentTemplate(ns, site);
    awaitReady(site);
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .until(() -> fetch(ns, site, "/"), "bad"::equals);
    sites().withName(site).delete();
  }

  @Test
  void aSiteNeverTakesOverAnObjectOfItsNameThatItDoesNotOwn() {
    var client = client();
    String ns = namespace();
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("taken")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(9999)
                .endPort()
                .endSpec()
                .build())
        .create();
    client.resource(Sites.site(ns, "taken", Map.of("index.html", "mine?"))).create();

    // ignoreExceptions: until the first status, there is no Ready condition to find
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var ready = condition("taken", "Ready");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("NameConflict");
              assertThat(ready.getMessage())
                  .contains("a Service named taken exists and is not owned by this site");
            });
    assertWarning("taken", "NameConflict");
    var service = client.services().inNamespace(ns).withName("taken").get();
    assertThat(service.getSpec().getPorts().get(0).getPort())
        .as("the user's Service is untouched")
        .isEqualTo(9999);
    assertThat(service.getMetadata().getOwnerReferences()).isEmpty();
    sites().withName("taken").delete();
  }

  /** Ready, and the status describes the content the Deployment runs. */
  protected void awaitReady(String site) {
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var status = sites().withName(site).get().getStatus();
              assertThat(condition(site, "Ready").getStatus()).isEqualTo("True");
              assertThat(status.getContentHash()).isEqualTo(hashOf(deployment(site).get()));
            });
  }

  private void assertWarning(String site, String reason) {
    await()
        .atMost(rolloutTimeout())
        .untilAsserted(
            () ->
                assertThat(client().v1().events().inNamespace(namespace()).list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getInvolvedObject().getName()).isEqualTo(site);
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo(reason);
                        }));
  }

  /** The site's condition of {@code type}; fails (for await to retry) while there is none. */
  protected Condition condition(String site, String type) {
    return sites().withName(site).get().getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  protected Resource<Deployment> deployment(String site) {
    return client().apps().deployments().inNamespace(namespace()).withName(site);
  }

  private static io.fabric8.kubernetes.api.model.Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static String hashOf(Deployment deployment) {
    return deployment
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("tinystatic.dev/content-hash");
  }

  protected NonNamespaceOperation<
          TinyStaticSite, KubernetesResourceList<TinyStaticSite>, Resource<TinyStaticSite>>
      sites() {
    return client().resources(TinyStaticSite.class).inNamespace(namespace());
  }
}
