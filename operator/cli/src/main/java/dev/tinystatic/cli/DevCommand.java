package dev.tinystatic.cli;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.image.WorkDir;
import dev.tinystatic.runtime.SitePortForward;
import dev.tinystatic.runtime.TinyStaticOperator;
import dev.tinystatic.server.OciArchive;
import dev.tinystatic.server.ServerImage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.javaoperatorsdk.operator.Operator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * TinyStatic working on this machine in a few minutes: k3s in Docker or podman (Testcontainers),
 * the CRD, the server image, the operator in this process, an example site, and a URL that answers.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Start k3s in Docker or podman, install the CRD, load the server image, run the operator in",
      "this process and apply deploy/examples/hello.yaml (or FILES); print a URL on localhost",
      "that answers. Ctrl-C tears everything down. The engine is the one DOCKER_HOST names, else",
      "the first that answers of Docker's socket and podman's API socket (rootful",
      "/run/podman/podman.sock, rootless $XDG_RUNTIME_DIR/podman/podman.sock). Without one, try",
      "`serve`."
    },
    footer = ExitCodes.HELP)
final class DevCommand implements Callable<Integer> {

  static final String K3S_IMAGE = "rancher/k3s:v1.31.4-k3s1";
  static final String SERVE_INSTEAD =
      "Or preview a site without a cluster: java -jar operator/target/tinystatic.jar serve"
          + " deploy/examples/hello.yaml";

  @Parameters(
      paramLabel = "FILES",
      arity = "0..*",
      description = "Site files to apply (default: the hello example in this jar).")
  List<Path> files = new ArrayList<>();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  private PrintWriter out;
  private int step;
  private static final int STEPS = 6;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<byte[]> manifests = manifests();
    EngineSearch search = EngineSearch.run(System.getenv(), Path.of("/"));
    if (search.engine().isEmpty()) {
      err.println(search.noEngineMessage());
      err.println(SERVE_INSTEAD);
      return ExitCodes.UNAVAILABLE;
    }
    try (ContainerEngine engine = search.engine().get()) {
      Map<String, String> missing = engine.missingFrom(System.getenv());
      if (!missing.isEmpty()) {
        out.printf(
            "%s: Testcontainers reads its settings from the environment only, so dev runs again"
                + " with %s%n",
            engine, Relaunch.assignments(missing));
        out.flush();
        return Relaunch.withEnvironment(
            spec.commandLine().getParseResult().originalArgs(), missing);
      }
      return run(engine, manifests);
    } catch (MissingPrerequisite e) {
      err.println(e.getMessage());
      err.println(SERVE_INSTEAD);
      return ExitCodes.UNAVAILABLE;
    }
  }

  private int run(ContainerEngine engine, List<byte[]> manifests) throws Exception {
    var stopped = new CountDownLatch(1);
    List<AutoCloseable> teardown = new CopyOnWriteArrayList<>(); // read by the shutdown hook
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (!teardown.isEmpty()) {
                    out.println("stopping: port-forward, operator, k3s");
                    out.flush();
                  }
                  for (int i = teardown.size() - 1; i >= 0; i--) {
                    try {
                      teardown.get(i).close();
                    } catch (Exception ignored) {
                      // tearing down: keep going
                    }
                  }
                  stopped.countDown();
                },
                "dev-teardown"));

    K3sContainer k3s =
        step(
            "starting k3s (" + engine + ")",
            () -> {
              ensureImage(engine, K3S_IMAGE);
              // Testcontainers meets the engine here already (the container asks for its host)
              var container = new K3sContainer(DockerImageName.parse(K3S_IMAGE));
              container.start();
              return container;
            });
    teardown.add(k3s::stop);
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
            .build();
    teardown.add(client::close);
    step(
        "installing the TinyStaticSite CRD",
        () -> {
          try (InputStream crd =
              resource("tinystatic/crds/tinystaticsites.tinystatic.dev-v1.yml")) {
            client.load(crd).serverSideApply();
          }
        });
    OperatorConfig config = OperatorConfig.from(Map.of(OperatorConfig.HEALTH_PORT, "0"));
    step(
        "loading the server image " + config.serverImage() + " into k3s",
        () -> {
          try (WorkDir work = WorkDir.create("tinystatic-dev-")) {
            Path tar = work.path().resolve("server.tar");
            OciArchive.write(ServerImage.generic(), tar, config.serverImage());
            k3s.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/server.tar");
          }
          var imported =
              k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/server.tar");
          if (imported.getExitCode() != 0) {
            throw new IllegalStateException("ctr images import failed: " + imported.getStderr());
          }
        });
    Operator operator = TinyStaticOperator.create(client, config);
    step("starting the operator", operator::start);
    teardown.add(operator::stop);
    List<TinyStaticSite> sites = new ArrayList<>();
    step(
        "applying " + (files.isEmpty() ? "deploy/examples/hello.yaml" : files),
        () -> {
          for (byte[] manifest : manifests) {
            for (HasMetadata object :
                client
                    .load(new ByteArrayInputStream(manifest))
                    .inNamespace("default")
                    .resources()
                    .map(r -> r.item())
                    .toList()) {
              client.resource(object).inNamespace("default").serverSideApply();
              if (object instanceof TinyStaticSite site) {
                sites.add(site);
              }
            }
          }
        });
    step(
        "waiting for " + sites.size() + " site(s) to be Ready",
        () -> {
          for (TinyStaticSite site : sites) {
            awaitReady(client, site.getMetadata().getName());
          }
        });
    for (TinyStaticSite applied : sites) {
      var site =
          client
              .resources(TinyStaticSite.class)
              .inNamespace("default")
              .withName(applied.getMetadata().getName())
              .get();
      LocalPortForward forward = SitePortForward.open(client, site);
      teardown.add(forward);
      out.printf(
          "%s: http://127.0.0.1:%d/%n", site.getMetadata().getName(), forward.getLocalPort());
    }
    WorkDir work = WorkDir.create("tinystatic-dev-");
    teardown.add(work);
    Path kubeconfig = Files.writeString(work.path().resolve("kubeconfig"), k3s.getKubeConfigYaml());
    out.println("kubectl: KUBECONFIG=" + kubeconfig + " kubectl get tss. Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  /**
   * Pulls the image if the engine lacks it, once and with no retry (Testcontainers would retry for
   * two minutes), and says what to do when the engine cannot get it.
   */
  private void ensureImage(ContainerEngine engine, String image)
      throws IOException, MissingPrerequisite {
    if (engine.hasImage(image)) {
      return;
    }
    out.print(" pulling " + image + " ...");
    out.flush();
    try {
      engine.pull(image);
    } catch (IOException e) {
      String full = "docker.io/" + image;
      throw new MissingPrerequisite(
          String.format(
              "%s cannot pull %s (%s), so `tinystatic dev` cannot start k3s.%n"
                  + "Pull it where its registry is reachable (`%s pull %s`), or load it from an"
                  + " archive saved where it is (`%s save -o k3s.tar %s` there, `%s load -i"
                  + " k3s.tar` here), then run dev again.",
              engine, image, e.getMessage(), engine.cli(), full, engine.cli(), full, engine.cli()));
    }
  }

  private List<byte[]> manifests() throws Exception {
    List<byte[]> manifests = new ArrayList<>();
    if (files.isEmpty()) {
      try (InputStream hello = resource("tinystatic/examples/hello.yaml")) {
        manifests.add(hello.readAllBytes());
      }
    }
    for (Path file : files) {
      SiteInput.load(file);
      manifests.add(Files.readAllBytes(file));
    }
    return manifests;
  }

  private static void awaitReady(KubernetesClient client, String name) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(deadline)) {
      TinyStaticSite site =
          client.resources(TinyStaticSite.class).inNamespace("default").withName(name).get();
      if (site != null
          && site.getStatus() != null
          && site.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "site "
            + name
            + " did not become Ready in 5 minutes;"
            + " see kubectl describe tss "
            + name);
  }

  private static InputStream resource(String name) {
    InputStream in = DevCommand.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is missing from the jar");
    }
    return in;
  }

  /** One step: a progress line, then its time (or that it failed, ending the line). */
  private <T> T step(String what, Callable<T> action) throws Exception {
    step++;
    out.printf("[%d/%d] %s ...", step, STEPS, what);
    out.flush();
    long start = System.nanoTime();
    T result;
    try {
      result = action.call();
    } catch (Exception e) {
      out.printf(" failed after %.1f s%n", (System.nanoTime() - start) / 1e9);
      out.flush();
      throw e;
    }
    out.printf(" done in %.1f s%n", (System.nanoTime() - start) / 1e9);
    out.flush();
    return result;
  }

  private void step(String what, Action action) throws Exception {
    step(
        what,
        () -> {
          action.run();
          return null;
        });
  }

  /** Something dev needs that this machine lacks: the message says what to do (exit code 4). */
  private static final class MissingPrerequisite extends Exception {
    MissingPrerequisite(String message) {
      super(message);
    }
  }

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }
}
