package dev.tinystatic.cli;

import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.image.WorkDir;
import dev.tinystatic.runtime.SitePortForward;
import dev.tinystatic.runtime.TinyStaticOperator;
import dev.tinystatic.server.OciArchive;
import dev.tinystatic.server.ServerBinary;
import dev.tinystatic.server.ServerImage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.javaoperatorsdk.operator.Operator;
import java.io.ByteArrayInputStream;
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
import java.util.concurrent.CountDownLatch;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * TinyStatic working on this machine in a few minutes: k3s in Docker (Testcontainers), the CRD, the
 * server image, the operator in this process, an example site, and a URL that answers.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Start k3s in Docker, install the CRD, load the server image, run the operator in this",
      "process and apply deploy/examples/hello.yaml (or FILES); print a URL on localhost that",
      "answers. Ctrl-C tears everything down. Needs Docker; without it, try `serve`."
    },
    footer = ExitCodes.HELP)
final class DevCommand implements Callable<Integer> {

  static final String K3S_IMAGE = "rancher/k3s:v1.31.4-k3s1";
  static final String NO_DOCKER =
      "Docker is not available here, so `tinystatic dev` cannot start k3s; preview a site without a"
          + " cluster instead: java -jar operator/target/tinystatic.jar serve"
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
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      spec.commandLine().getErr().println(NO_DOCKER);
      return ExitCodes.UNAVAILABLE;
    }
    List<byte[]> manifests = manifests();
    var k3s = new K3sContainer(DockerImageName.parse(K3S_IMAGE));
    var stopped = new CountDownLatch(1);
    List<AutoCloseable> teardown = new ArrayList<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("stopping: port-forward, operator, k3s");
                  out.flush();
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

    step("starting k3s (" + K3S_IMAGE + ")", () -> k3s.start());
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
            OciArchive.write(
                ServerImage.generic(ServerBinary.Arch.AMD64), tar, config.serverImage());
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
    out.println(
        "kubectl: the kubeconfig is printed by `docker exec "
            + k3s.getContainerId().substring(0, 12)
            + " cat /etc/rancher/k3s/k3s.yaml`. Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return ExitCodes.OK;
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

  /** One step: a progress line, then its time. */
  private void step(String what, Action action) throws Exception {
    step++;
    out.printf("[%d/%d] %s ...", step, STEPS, what);
    out.flush();
    long start = System.nanoTime();
    action.run();
    out.printf(" done in %.1f s%n", (System.nanoTime() - start) / 1e9);
    out.flush();
  }

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }
}
