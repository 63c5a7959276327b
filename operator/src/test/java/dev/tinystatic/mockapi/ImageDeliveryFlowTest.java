package dev.tinystatic.mockapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.server.OciIndex;
import dev.tinystatic.testing.FakeKubelet;
import dev.tinystatic.testing.LocalRegistry;
import dev.tinystatic.testing.MockCluster;
import dev.tinystatic.testing.ServedContent;
import dev.tinystatic.testing.Sites;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image delivery: the operator on the mock API server, pushing to a real registry. */
class ImageDeliveryFlowTest extends MockApiTest {

  @TempDir Path dir;
  @AutoClose LocalRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = LocalRegistry.start(dir.resolve("registry"));
    ownCluster(MockCluster.start().startOperator(config()), "img");
  }

  OperatorConfig config() {
    Map<String, String> env = new HashMap<>();
    env.put(OperatorConfig.SERVER_IMAGE, MockCluster.SERVER_IMAGE);
    env.put(OperatorConfig.HEALTH_PORT, "0");
    env.put(OperatorConfig.REGISTRY, registry.address() + "/sites");
    env.put(OperatorConfig.REGISTRY_PULL_PREFIX, "registry.cluster.local:5000/sites");
    env.put(OperatorConfig.REGISTRY_INSECURE, "true");
    env.put(OperatorConfig.IMAGE_PULL_SECRETS, "pull-secret");
    return OperatorConfig.from(env).withServerSideApply(false);
  }

  @Test
  void aSiteIsBakedPushedAndRunByDigestWithNoVolumes() throws Exception {
    client.resource(Sites.site(ns, "hello", Map.of("index.html", "<h1>Hello</h1>"))).create();

    Deployment deployment = awaitDeployment("hello", d -> true);
    var pod = deployment.getSpec().getTemplate().getSpec();
    String image = pod.getContainers().get(0).getImage();
    assertThat(image)
        .matches("registry\\.cluster\\.local:5000/sites/img/hello@sha256:[0-9a-f]{64}");
    assertThat(pod.getVolumes()).isEmpty();
    assertThat(pod.getContainers().get(0).getVolumeMounts()).isEmpty();
    assertThat(pod.getImagePullSecrets())
        .extracting(r -> r.getName())
        .containsExactly("pull-secret");
    String digest = image.substring(image.indexOf('@') + 1);
    var index = registry.get("/v2/sites/img/hello/manifests/" + digest, OciIndex.MEDIA_TYPE);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type"))
        .as("the pods run the image index")
        .contains(OciIndex.MEDIA_TYPE);
    assertThat(configMap("hello-content").get().getData())
        .as("the content ConfigMap still holds the files")
        .containsEntry("index.html", "<h1>Hello</h1>");

    FakeKubelet.rolledOut(client, ns, "hello");
    TinyStaticSite ready = awaitReady("hello");
    assertThat(ready.getStatus().getDelivery()).isEqualTo(Delivery.Image);
    assertThat(ready.getStatus().getImage()).isEqualTo(image);
    assertThat(ready.getStatus().getImageBytes()).isBetween(1_000L, 20_000L);
  }

  @Test
  void anEditBakesANewDigestAndRollsAndANoOpPushesAndWritesNothing() throws Exception {
    String first = createAndServe("edit", "one");

    edit("edit", spec -> spec.getFiles().put("index.html", "two"));
    String second = image(awaitDeployment("edit", d -> !image(d).equals(first)));
    assertThat(second).isNotEqualTo(first);
    FakeKubelet.rolledOut(client, ns, "edit");
    awaitReady("edit");

    assertThat(registry.imagePushes("sites/img/edit")).as("two bakes pushed").isEqualTo(2);
    long pushes = registry.manifestPushes();
    cluster.stopOperator();
    drainRequests();
    cluster.startOperator(config());
    await().pollDelay(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> true);
    assertThat(registry.manifestPushes()).as("no push on a no-op resync").isEqualTo(pushes);
    assertThat(drainRequests())
        .as("no write on a no-op resync")
        .filteredOn(r -> !r.startsWith("GET"))
        .filteredOn(r -> r.contains("/namespaces/" + ns + "/"))
        .isEmpty();
  }

  @Test
  void anUnreachableRegistryIsReportedThePodsAreUntouchedAndItRecoversByItself() throws Exception {
    String running = createAndServe("down", "v1");

    int port = registry.port();
    registry.close();
    edit("down", spec -> spec.getFiles().put("index.html", "v2"));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Condition ready = condition(site("down").get(), "Ready");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("ImagePushFailed");
              assertThat(ready.getMessage())
                  .contains("registry 127.0.0.1:" + port)
                  .contains("the pods keep running the previous image");
            });
    awaitWarning("down", "ImagePushFailed");
    assertThat(image(deployment("down").get())).as("running pods untouched").isEqualTo(running);

    registry = LocalRegistry.startOn(dir.resolve("registry"), port);
    String recovered = image(awaitDeployment("down", d -> !image(d).equals(running)));
    assertThat(recovered).contains("@sha256:");
    FakeKubelet.rolledOut(client, ns, "down");
    awaitReady("down");
  }

  @Test
  void whileTheRegistryIsDownDeletedObjectsAreRestoredWithTheLastGoodImage() throws Exception {
    String running = createAndServe("held", "v1");

    registry.close();
    edit("held", spec -> spec.getFiles().put("index.html", "v2"));
    long generation = deployment("held").get().getMetadata().getGeneration();
    await()
        .atMost(TIMEOUT)
        .until(() -> "ImagePushFailed".equals(condition(site("held").get(), "Ready").getReason()));
    assertThat(deployment("held").get().getMetadata().getGeneration())
        .as("the pods are left as they run")
        .isEqualTo(generation);

    service("held").delete();
    configMap("held-content").delete();
    deployment("held").delete();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(service("held").get()).isNotNull();
              assertThat(configMap("held-content").get()).isNotNull();
              assertThat(deployment("held").get()).isNotNull();
            });
    assertThat(image(deployment("held").get()))
        .as("the Deployment comes back with the last image baked")
        .isEqualTo(running);
    assertThat(condition(site("held").get(), "Ready").getReason()).isEqualTo("ImagePushFailed");
  }

  @Test
  void stoppingTheOperatorStopsItsBakeThreads() {
    client.resource(Sites.site(ns, "threads", Map.of("index.html", "x"))).create();
    awaitDeployment("threads", d -> true);
    assertThat(bakeThreads()).isNotEmpty();

    cluster.stopOperator();
    await().atMost(TIMEOUT).until(() -> bakeThreads().isEmpty());
  }

  private static List<Thread> bakeThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("tinystatic-bake-") && t.isAlive())
        .toList();
  }

  @Test
  void aSiteSwitchesBetweenDeliveriesBothWays() {
    var site = Sites.site(ns, "switch", Map.of("index.html", "same files"));
    site.getSpec().setDelivery(Delivery.ConfigMap);
    client.resource(site).create();
    Deployment mounted = awaitDeployment("switch", d -> true);
    assertThat(image(mounted)).isEqualTo(MockCluster.SERVER_IMAGE);
    assertThat(ServedContent.files(client, ns, "switch")).containsEntry("index.html", "same files");

    edit("switch", spec -> spec.setDelivery(Delivery.Image));
    Deployment baked = awaitDeployment("switch", d -> image(d).contains("@sha256:"));
    assertThat(baked.getSpec().getTemplate().getSpec().getVolumes()).isEmpty();
    assertThat(baked.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .as("the switch rolls with no pod lost")
        .isZero();

    edit("switch", spec -> spec.setDelivery(Delivery.ConfigMap));
    Deployment back = awaitDeployment("switch", d -> image(d).equals(MockCluster.SERVER_IMAGE));
    assertThat(back.getSpec().getTemplate().getSpec().getVolumes()).hasSize(2);
    FakeKubelet.rolledOut(client, ns, "switch");
    assertThat(awaitReady("switch").getStatus().getImage()).isNull();

    // Back to Image after a restart: whatever the Deployment still says, the site is baked again.
    cluster.stopOperator();
    cluster.startOperator(config());
    edit("switch", spec -> spec.setDelivery(Delivery.Image));
    Deployment again = awaitDeployment("switch", d -> image(d).contains("@sha256:"));
    assertThat(again.getSpec().getTemplate().getSpec().getVolumes()).isEmpty();
    assertThat(image(again)).isEqualTo(image(baked));
  }

  /** Creates site {@code name} with {@code index}, rolls it out to Ready; the image it runs. */
  private String createAndServe(String name, String index) {
    client.resource(Sites.site(ns, name, Map.of("index.html", index))).create();
    String image = image(awaitDeployment(name, d -> true));
    FakeKubelet.rolledOut(client, ns, name);
    awaitReady(name);
    return image;
  }

  private Deployment awaitDeployment(String name, java.util.function.Predicate<Deployment> test) {
    return await()
        .atMost(TIMEOUT)
        .until(() -> deployment(name).get(), d -> d != null && test.test(d));
  }

  private static String image(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
