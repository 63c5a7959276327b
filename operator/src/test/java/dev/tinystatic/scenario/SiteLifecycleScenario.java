package dev.tinystatic.scenario;

import static dev.tinystatic.testing.ServedContent.contentHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.api.CacheRule;
import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.IngressTls;
import dev.tinystatic.api.SiteIngress;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.SiteRevision;
import dev.tinystatic.api.SiteRollout;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteSpec;
import dev.tinystatic.api.TinyStaticSiteStatus;
import dev.tinystatic.testing.CutoverWatch;
import dev.tinystatic.testing.Edits;
import dev.tinystatic.testing.ServedContent;
import dev.tinystatic.testing.ServiceProxy;
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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The user's stories with a site, written once and run against every kind of cluster: the mock API
 * server here (with a stand-in kubelet), and a real cluster (any cluster given to the end-to-end
 * suite, or k3s where Docker runs). Apply, see it served, edit it and see the new content served,
 * delete it and see its objects go; objects deleted or edited by hand come back; a bad edit is
 * reported and the last good site keeps serving; an object of the site's name that it does not own
 * is never taken over. Most stories pin the Rolling strategy (one Deployment named after the site);
 * one runs the default, Atomic: the Service moves from one revision's Deployment to the next in one
 * step, the old one drains, spec.revision rolls back.
 */
public abstract class SiteLifecycleScenario {

  /** A client for the cluster, with the CRD installed and the operator running. */
  protected abstract KubernetesClient client();

  /** The namespace the sites of this run live in (it exists). */
  protected abstract String namespace();

  /** How long the cluster may take to roll pods out. */
  protected abstract Duration rolloutTimeout();

  /**
   * Waits until the pods of Deployment {@code site} (the site's own, or, Atomic, one revision's
   * {@code site-REV}) run its current template: the mock has to play kubelet.
   */
  protected abstract void podsRunTheCurrentTemplate(String namespace, String site);

  /** The body the site serves at {@code path}. */
  protected abstract String fetch(String namespace, String site, String path) throws Exception;

  /**
   * The site's whole answer at {@code path} through its Service (status, headers, body), sent with
   * {@code headers}: on a real cluster the pod's; on the mock, the real server started on what the
   * pod would get.
   */
  protected abstract ServiceProxy.Response request(
      String namespace, String site, String path, Map<String, String> headers) throws Exception;

  /** Checks that deleting the site takes {@code owned} with it. */
  protected abstract void assertDeletedWithTheSite(List<HasMetadata> owned);

  /** What the delivery under test promises of the pod spec (e.g. no volumes). */
  protected void checkPodSpec(PodSpec pod) {}

  @Test
  public void applyServeEditServeDelete() throws Exception {
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

    edit(site, spec -> spec.getFiles().put("index.html", "<h1>Hello again</h1>"));
    await()
        .atMost(rolloutTimeout())
        .until(() -> !contentHash(deployment(site).get()).equals(contentHash(deployment)));
    podsRunTheCurrentTemplate(ns, site);
    awaitReady(site);
    awaitServed(ns, site, "<h1>Hello again</h1>");

    assertFinalizerFitsDelivery(sites().withName(site).get());
    sites().withName(site).delete();
    assertDeletedWithTheSite(List.of(deployment, service, content));
  }

  @Test
  public void objectsDeletedOrEditedByHandAreRestored() throws Exception {
    var client = client();
    String ns = namespace();
    String site = "sturdy";
    createAndRollOut(Sites.site(ns, site, Map.of("index.html", "keep me")));
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
              assertThat(ServedContent.siteFiles(content.get()))
                  .containsExactlyEntriesOf(Map.of("index.html", "keep me"));
              assertThat(container(deployment(site).get()).getImage()).isEqualTo(image);
            });
    podsRunTheCurrentTemplate(ns, site);
    awaitReady(site);
    awaitServed(ns, site, "keep me");
    sites().withName(site).delete();
  }

  @Test
  public void aBadEditIsReportedAndTheLastGoodSiteKeepsServingUntilItIsFixed() throws Exception {
    String ns = namespace();
    String site = "careful";
    createAndRollOut(Sites.site(ns, site, Map.of("index.html", "good")));
    String goodHash = contentHash(deployment(site).get());

    edit(
        site,
        spec -> {
          spec.getFiles().put("../etc/passwd", "x");
          spec.getFiles().put("index.html", "bad");
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

    edit(site, spec -> spec.getFiles().remove("../etc/passwd"));
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .until(() -> condition(site, "ContentReady").getStatus().equals("True"));
    // Image delivery bakes in the background: the Deployment takes the fixed content only then
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .until(() -> !contentHash(deployment(site).get()).equals(goodHash));
    podsRunTheCurrentTemplate(ns, site);
    awaitReady(site);
    awaitServed(ns, site, "bad");
    sites().withName(site).delete();
  }

  @Test
  public void aSiteNeverTakesOverAnObjectOfItsNameThatItDoesNotOwn() {
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

  @Test
  public void aSiteOnItsOwnHostServesItsAppShellItsNotFoundPageItsCachePolicyAndItsHeaders()
      throws Exception {
    var client = client();
    String ns = namespace();
    String site = "shop";
    var shop =
        Sites.site(
            ns,
            site,
            Map.of(
                "index.html", "<h1>shop</h1>",
                "404.html", "<h1>not here</h1>",
                "assets/app.3f9a1c2b.js", "app()",
                "prices.json", "{}"));
    var spec = shop.getSpec();
    spec.setSpa(true);
    spec.setNotFound("404.html");
    spec.setCache(List.of(new CacheRule("*.json", "max-age=60")));
    spec.setHeaders(Map.of("Content-Security-Policy", "default-src 'self'"));
    var ingress = new SiteIngress();
    ingress.setHost("shop.example.test");
    var tls = new IngressTls();
    tls.setSecretName("shop-cert");
    ingress.setTls(tls);
    spec.setIngress(ingress);
    createAndRollOut(shop);

    var owned = client.network().v1().ingresses().inNamespace(ns).withName(site);
    await().atMost(rolloutTimeout()).until(() -> owned.get() != null);
    var rule = owned.get().getSpec().getRules().get(0);
    assertThat(rule.getHost()).isEqualTo("shop.example.test");
    assertThat(rule.getHttp().getPaths().get(0).getBackend().getService().getName())
        .isEqualTo(site);
    assertThat(owned.get().getSpec().getTls().get(0).getSecretName()).isEqualTo("shop-cert");
    assertThat(sites().withName(site).get().getStatus().getUrl())
        .isEqualTo("https://shop.example.test/");
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .until(() -> condition(site, "Routed") != null);

    var shell = request(ns, site, "/", Map.of());
    assertThat(shell.status()).isEqualTo(200);
    assertThat(shell.text()).isEqualTo("<h1>shop</h1>");
    assertThat(shell.values("Cache-Control")).contains("no-cache");
    assertThat(shell.header("Content-Security-Policy")).isEqualTo("default-src 'self'");
    assertThat(shell.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(shell.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");

    var route = request(ns, site, "/cart/checkout", Map.of());
    assertThat(route.status()).as("a client-side route").isEqualTo(200);
    assertThat(route.text()).isEqualTo("<h1>shop</h1>");

    var missing = request(ns, site, "/assets/gone.js", Map.of());
    assertThat(missing.status()).as("a missing asset").isEqualTo(404);
    assertThat(missing.text()).isEqualTo("<h1>not here</h1>");
    assertThat(missing.header("Content-Security-Policy")).isEqualTo("default-src 'self'");

    assertThat(request(ns, site, "/assets/app.3f9a1c2b.js", Map.of()).values("Cache-Control"))
        .contains("public, max-age=31536000, immutable");
    assertThat(request(ns, site, "/prices.json", Map.of()).values("Cache-Control"))
        .contains("max-age=60");

    var revalidated = request(ns, site, "/", Map.of("If-None-Match", shell.header("ETag")));
    assertThat(revalidated.status()).isEqualTo(304);
    assertThat(revalidated.header("Content-Security-Policy")).isEqualTo("default-src 'self'");

    edit(site, s -> s.setIngress(null));
    await().atMost(rolloutTimeout()).until(() -> owned.get() == null);
    sites().withName(site).delete();
  }

  /** Atomic: how long the old revision's pods stay after the switch (short, for the suite). */
  private static final int DRAIN_SECONDS = 3;

  @Test
  public void theDefaultAtomicRolloutSwitchesTheServiceInOneStepDrainsAndRollsBack()
      throws Exception {
    var client = client();
    String ns = namespace();
    String site = "cutover";
    var created = Sites.atomic(ns, site, Map.of("index.html", "<h1>v1</h1>"));
    created.getSpec().setReplicas(2);
    var rollout = new SiteRollout();
    rollout.setStrategy(null); // not given: the default, Atomic
    rollout.setDrainSeconds(DRAIN_SECONDS);
    created.getSpec().setRollout(rollout);
    client.resource(created).create();

    String first =
        await()
            .atMost(rolloutTimeout())
            .ignoreExceptions()
            .until(
                () -> sites().withName(site).get().getStatus().getLiveRevision(), r -> r != null);
    podsRunTheCurrentTemplate(ns, site + "-" + first);
    String firstHash = awaitLive(site, first).getContentHash();
    assertThat(SiteObjects.revisionOf(firstHash)).isEqualTo(first);
    assertThat(revisionDeployments(site)).containsExactly(first);
    assertThat(deployment(site).get()).as("no Deployment rolled pod by pod").isNull();
    assertThat(fetch(ns, site, "/")).isEqualTo("<h1>v1</h1>");
    var budget = client.policy().v1().podDisruptionBudget().inNamespace(ns).withName(site);
    await().atMost(rolloutTimeout()).until(() -> budget.get() != null);
    assertThat(budget.get().getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.get().getMetadata().getOwnerReferences())
        .anySatisfy(ref -> assertThat(ref.getName()).isEqualTo(site));

    String second;
    List<CutoverWatch.Sample> samples;
    long editedAt = System.nanoTime();
    try (var watch = CutoverWatch.start(client, ns, site)) {
      edit(site, spec -> spec.getFiles().put("index.html", "<h1>v2</h1>"));
      second =
          await()
              .atMost(rolloutTimeout())
              .until(
                  () -> revisionDeployments(site).stream().filter(r -> !r.equals(first)).toList(),
                  r -> r.size() == 1)
              .get(0);
      await()
          .atMost(rolloutTimeout())
          .alias("the new revision seen starting while the Service stays on the old one")
          .until(
              () ->
                  watch.samples().stream()
                      .anyMatch(
                          x ->
                              first.equals(x.selected())
                                  && x.deployments().containsKey(second)
                                  && !x.deployments().get(second).full()));
      podsRunTheCurrentTemplate(ns, site + "-" + second);
      await().atMost(rolloutTimeout()).until(() -> second.equals(selectedRevision(site)));
      System.out.printf(
          "Atomic: edit to Service on the new revision in %d ms%n",
          (System.nanoTime() - editedAt) / 1_000_000);
      awaitServed(ns, site, "<h1>v2</h1>");
      for (int i = 0; i < 5; i++) {
        assertThat(fetch(ns, site, "/"))
            .as("new content, never old again")
            .isEqualTo("<h1>v2</h1>");
      }
      await()
          .atMost(rolloutTimeout().plusSeconds(DRAIN_SECONDS))
          .until(() -> deployment(site + "-" + first).get() == null);
      samples = watch.samples();
    }

    assertThat(samples)
        .as("whenever the Service selects a revision, all its pods are available")
        .allSatisfy(
            x -> {
              if (x.selected() != null) {
                assertThat(x.deployments().get(x.selected()))
                    .as("revision %s at %s", x.selected(), x.at())
                    .isNotNull()
                    .satisfies(a -> assertThat(a.full()).isTrue());
              }
            });
    int switched = indexOf(samples, x -> second.equals(x.selected()));
    assertThat(switched).as("the Service moved to the new revision").isNotNegative();
    assertThat(samples.subList(0, switched))
        .as("before the switch, the old revision")
        .allSatisfy(x -> assertThat(x.selected()).isEqualTo(first));
    assertThat(samples.subList(switched, samples.size()))
        .as("after the switch, never back")
        .allSatisfy(x -> assertThat(x.selected()).isEqualTo(second));
    var draining =
        samples.subList(switched, samples.size()).stream()
            .filter(x -> x.deployments().containsKey(first))
            .toList();
    assertThat(draining).as("the old revision drains after the switch").isNotEmpty();
    System.out.printf(
        "Atomic: old revision seen draining for %d ms after the switch (drainSeconds %d)%n",
        java.time.Duration.between(
                samples.get(switched).at(), draining.get(draining.size() - 1).at())
            .toMillis(),
        DRAIN_SECONDS);

    var live = awaitLive(site, second);
    String secondHash = live.getContentHash();
    assertThat(SiteObjects.revisionOf(secondHash)).isEqualTo(second);
    assertThat(live.getRevisions())
        .extracting(SiteRevision::getContentHash)
        .containsExactly(secondHash, firstHash);
    assertThat(live.getRevisions()).allSatisfy(r -> assertThat(r.getLiveSince()).isNotBlank());
    assertThat(java.time.Instant.parse(live.getRevisions().get(0).getLiveSince()))
        .isAfterOrEqualTo(java.time.Instant.parse(live.getRevisions().get(1).getLiveSince()));

    edit(site, spec -> spec.setReplicas(1));
    await().atMost(rolloutTimeout()).until(() -> budget.get() == null);
    podsRunTheCurrentTemplate(ns, site + "-" + second);
    awaitLive(site, second);

    edit(site, spec -> spec.setRevision(firstHash));
    awaitSwitchedTo(ns, site, first);
    assertThat(condition(site, "Ready").getMessage()).contains("rolled back by spec.revision");
    awaitServed(ns, site, "<h1>v1</h1>");
    assertThat(sites().withName(site).get().getSpec().getFiles())
        .as("the spec keeps its files")
        .containsEntry("index.html", "<h1>v2</h1>");

    edit(site, spec -> spec.setRevision(null));
    awaitSwitchedTo(ns, site, second);
    awaitServed(ns, site, "<h1>v2</h1>");
    sites().withName(site).delete();
  }

  /**
   * Atomic: Ready, with {@code revision} live and nothing pending; the status then (its contentHash
   * stays that of spec.files, also while spec.revision pins another).
   */
  private TinyStaticSiteStatus awaitLive(String site, String revision) {
    return awaitReadyWith(
        site,
        status -> {
          assertThat(status.getLiveRevision()).isEqualTo(revision);
          assertThat(status.getPendingRevision()).isNull();
        });
  }

  /**
   * Atomic: waits for {@code revision}'s Deployment, lets its pods run, and waits until the Service
   * selects it and it is live.
   */
  private void awaitSwitchedTo(String ns, String site, String revision) {
    await().atMost(rolloutTimeout()).until(() -> deployment(site + "-" + revision).get() != null);
    podsRunTheCurrentTemplate(ns, site + "-" + revision);
    await().atMost(rolloutTimeout()).until(() -> revision.equals(selectedRevision(site)));
    awaitLive(site, revision);
  }

  /** Atomic: the revision the site's Service selects. */
  private String selectedRevision(String site) {
    var service = client().services().inNamespace(namespace()).withName(site).get();
    return service == null ? null : service.getSpec().getSelector().get(SiteObjects.REVISION_LABEL);
  }

  /** Atomic: the revisions that have a Deployment (not being deleted). */
  private List<String> revisionDeployments(String site) {
    return client()
        .apps()
        .deployments()
        .inNamespace(namespace())
        .withLabel(SiteObjects.INSTANCE_LABEL, site)
        .withLabel(SiteObjects.REVISION_LABEL)
        .list()
        .getItems()
        .stream()
        .filter(d -> d.getMetadata().getDeletionTimestamp() == null)
        .map(d -> d.getMetadata().getLabels().get(SiteObjects.REVISION_LABEL))
        .toList();
  }

  private static int indexOf(
      List<CutoverWatch.Sample> samples, java.util.function.Predicate<CutoverWatch.Sample> test) {
    for (int i = 0; i < samples.size(); i++) {
      if (test.test(samples.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** The site's page at / serves {@code body} through its Service (in the end). */
  private void awaitServed(String ns, String site, String body) {
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .until(() -> fetch(ns, site, "/"), body::equals);
  }

  /** Creates the site, waits for its Deployment, lets its pods run and waits until it is Ready. */
  private void createAndRollOut(TinyStaticSite created) {
    client().resource(created).create();
    String ns = created.getMetadata().getNamespace();
    String site = created.getMetadata().getName();
    await().atMost(rolloutTimeout()).until(() -> deployment(site).get() != null);
    podsRunTheCurrentTemplate(ns, site);
    awaitReady(site);
  }

  /** Edits the site's spec as a user would (again on a conflict with the operator). */
  private void edit(String site, Consumer<TinyStaticSiteSpec> change) {
    Edits.edit(
        sites().withName(site),
        s -> {
          change.accept(s.getSpec());
          return s;
        });
  }

  /** Ready, and the status describes the content the Deployment runs. */
  /** An Image site holds its deletion until its images are deleted; a ConfigMap site never. */
  private static void assertFinalizerFitsDelivery(TinyStaticSite served) {
    var finalizers = served.getMetadata().getFinalizers();
    if (served.getStatus().getDelivery() == Delivery.Image) {
      assertThat(finalizers)
          .as("an Image site's finalizers")
          .containsExactly(SiteObjects.FINALIZER);
    } else {
      assertThat(finalizers).as("a ConfigMap site's finalizers").isNullOrEmpty();
    }
  }

  protected void awaitReady(String site) {
    awaitReadyWith(
        site,
        status ->
            assertThat(status.getContentHash()).isEqualTo(contentHash(deployment(site).get())));
  }

  /** Waits until the site is Ready and its status passes {@code check}; that status. */
  private TinyStaticSiteStatus awaitReadyWith(String site, Consumer<TinyStaticSiteStatus> check) {
    var ready = new java.util.concurrent.atomic.AtomicReference<TinyStaticSiteStatus>();
    await()
        .atMost(rolloutTimeout())
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              var status = sites().withName(site).get().getStatus();
              assertThat(condition(site, "Ready").getStatus()).isEqualTo("True");
              check.accept(status);
              ready.set(status);
            });
    return ready.get();
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

  protected NonNamespaceOperation<
          TinyStaticSite, KubernetesResourceList<TinyStaticSite>, Resource<TinyStaticSite>>
      sites() {
    return client().resources(TinyStaticSite.class).inNamespace(namespace());
  }
}
