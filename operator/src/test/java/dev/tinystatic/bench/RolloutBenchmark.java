package dev.tinystatic.bench;

import dev.tinystatic.api.RolloutStrategy;
import dev.tinystatic.api.SiteRollout;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.runtime.TinyStaticOperator;
import dev.tinystatic.server.ServerImage;
import dev.tinystatic.testing.Crds;
import dev.tinystatic.testing.Edits;
import dev.tinystatic.testing.ImagePush;
import dev.tinystatic.testing.Sites;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a site's visitors see while it rolls out new content, on a real cluster: a 2-replica site
 * under steady load from a client that balances the way kube-proxy does (it spreads requests over
 * the ready addresses of the Service's EndpointSlices, refreshed every second, with a new
 * connection per request), while the site is edited three times. Prints the requests, the failed
 * ones, and the order of the versions seen: how often a client that had seen version N+1 got
 * version N again. Prints figures; asserts nothing.
 *
 * <p>Runs the operator in this process with the configuration of the environment
 * (TINYSTATIC_SERVER_IMAGE must name a server image the nodes pull), against the current
 * kubeconfig; pod addresses must be reachable from here (a node, or ../shared/real-k8s). Arguments:
 * [EDITS] [CLIENTS] [SECONDS_BETWEEN_EDITS] [STRATEGIES, default Rolling,Atomic: one after the
 * other]. See operator/bench/rollout-bench.sh.
 */
public final class RolloutBenchmark {

  private static final String SITE = "rollout";

  private final KubernetesClient client;
  private final String namespace;
  private final AtomicReference<List<InetSocketAddress>> ready = new AtomicReference<>(List.of());
  private final ConcurrentLinkedQueue<Integer> seen = new ConcurrentLinkedQueue<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failureSamples = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final java.util.concurrent.atomic.AtomicInteger newestSeen =
      new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicLong olderAfterNewer = new AtomicLong();

  private final RolloutStrategy strategy;

  RolloutBenchmark(KubernetesClient client, String namespace, RolloutStrategy strategy) {
    this.client = client;
    this.namespace = namespace;
    this.strategy = strategy;
  }

  public static void main(String[] args) throws Exception {
    int edits = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int pause = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    String strategies = args.length > 3 ? args[3] : "Rolling,Atomic";
    OperatorConfig config = OperatorConfig.fromEnvironment();
    String registry = System.getenv("BENCH_REGISTRY");
    if (registry != null && System.getenv(OperatorConfig.SERVER_IMAGE) == null) {
      // the generic server image of this build, pushed where the nodes pull it
      String digest =
          ImagePush.push(ServerImage.generic(), registry, "tinystatic/server", "bench", true);
      config =
          OperatorConfig.from(
              Map.of(
                  OperatorConfig.SERVER_IMAGE,
                  registry + "/tinystatic/server@" + digest,
                  OperatorConfig.HEALTH_PORT,
                  "0"));
    }
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      try (var crd = java.nio.file.Files.newInputStream(Crds.SITES)) {
        client.load(crd).forceConflicts().serverSideApply(); // this build's CRD
      }
      var operator = TinyStaticOperator.create(client, config);
      operator.start();
      try {
        // One strategy after the other, same operator, same cluster: side by side.
        for (String strategy : strategies.split(",")) {
          String namespace = "rollout-bench-" + UUID.randomUUID().toString().substring(0, 6);
          client
              .resource(
                  new NamespaceBuilder()
                      .withNewMetadata()
                      .withName(namespace)
                      .endMetadata()
                      .build())
              .create();
          try {
            System.out.println("== strategy " + strategy);
            new RolloutBenchmark(client, namespace, RolloutStrategy.valueOf(strategy.trim()))
                .run(edits, clients, Duration.ofSeconds(pause));
          } finally {
            client.resources(TinyStaticSite.class).inNamespace(namespace).withName(SITE).delete();
            Thread.sleep(2_000);
            client.namespaces().withName(namespace).delete();
          }
        }
      } finally {
        operator.stop();
      }
    }
    System.exit(0);
  }

  void run(int edits, int clients, Duration pause) throws Exception {
    var site = Sites.atomic(namespace, SITE, files(1));
    site.getSpec().setReplicas(2);
    var rollout = new SiteRollout();
    rollout.setStrategy(strategy);
    site.getSpec().setRollout(rollout);
    client.resource(site).create();
    awaitServing(1);
    System.out.printf(
        Locale.ROOT,
        "site %s/%s (%s): 2 replicas, version 1 served; %d clients, a new connection per"
            + " request%n",
        namespace,
        SITE,
        strategy,
        clients);

    List<Thread> threads = new ArrayList<>();
    threads.add(daemon(this::refreshEndpoints));
    for (int i = 0; i < clients; i++) {
      threads.add(daemon(this::load));
    }
    Instant start = Instant.now();
    Thread.sleep(pause.toMillis());
    for (int version = 2; version <= edits + 1; version++) {
      int v = version;
      Edits.edit(
          client.resources(TinyStaticSite.class).inNamespace(namespace).withName(SITE),
          s -> {
            s.getSpec().setFiles(new java.util.TreeMap<>(files(v)));
            return s;
          });
      System.out.printf(Locale.ROOT, "edit %d -> version %d%n", v - 1, v);
      awaitServing(v);
      Thread.sleep(pause.toMillis());
    }
    running.set(false);
    for (Thread thread : threads) {
      thread.join(5_000);
    }
    report(Duration.between(start, Instant.now()));
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Index page, a fingerprinted asset and a version file: what a real site's versions differ in.
   */
  private static Map<String, String> files(int version) {
    return Map.of(
        "index.html",
        "<script src=\"app." + version + "abcdef0.js\"></script>v" + version,
        "app." + version + "abcdef0.js",
        "console.log(" + version + ")",
        "version.txt",
        Integer.toString(version));
  }

  private void awaitServing(int version) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      var found =
          client.resources(TinyStaticSite.class).inNamespace(namespace).withName(SITE).get();
      var status = found.getStatus();
      if (status != null
          && status.getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
          && status.getObservedGeneration() != null
          && status.getObservedGeneration().equals(found.getMetadata().getGeneration())) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("version " + version + " not Ready within 3 minutes");
  }

  /**
   * The ready addresses of the site Service's EndpointSlices, every second, as kube-proxy sees
   * them.
   */
  private void refreshEndpoints() {
    while (running.get()) {
      try {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (EndpointSlice slice :
            client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(namespace)
                .withLabel("kubernetes.io/service-name", SITE)
                .list()
                .getItems()) {
          int port = slice.getPorts().get(0).getPort();
          for (var endpoint : slice.getEndpoints()) {
            if (endpoint.getConditions() != null
                && Boolean.TRUE.equals(endpoint.getConditions().getReady())) {
              for (String address : endpoint.getAddresses()) {
                addresses.add(new InetSocketAddress(address, port));
              }
            }
          }
        }
        ready.set(addresses);
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the API server may hiccup: keep the last addresses
      }
    }
  }

  private void load() {
    while (running.get()) {
      List<InetSocketAddress> addresses = ready.get();
      if (addresses.isEmpty()) {
        Thread.onSpinWait();
        continue;
      }
      var target = addresses.get(ThreadLocalRandom.current().nextInt(addresses.size()));
      requests.incrementAndGet();
      int newestBeforeSending = newestSeen.get();
      try {
        int version = Integer.parseInt(get(target, "/version.txt").strip());
        seen.add(version);
        newestSeen.accumulateAndGet(version, Math::max);
        if (version < newestBeforeSending) {
          // Sent after a newer version had come back: not a request in flight across the switch.
          olderAfterNewer.incrementAndGet();
        }
      } catch (Exception e) {
        failures.incrementAndGet();
        if (failureSamples.size() < 5) {
          failureSamples.add(target + ": " + e);
        }
      }
    }
  }

  /** One GET on a new connection; the body of a 200, else an exception. */
  private static String get(InetSocketAddress target, String path) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(target, 2_000);
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: site\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      in.transferTo(response);
      String text = response.toString(StandardCharsets.UTF_8);
      if (!text.startsWith("HTTP/1.1 200 ")) {
        throw new IllegalStateException(text.lines().findFirst().orElse("no answer"));
      }
      return text.substring(text.indexOf("\r\n\r\n") + 4);
    }
  }

  private void report(Duration took) {
    List<Integer> order = new ArrayList<>(seen);
    int highest = 0;
    long backwards = 0;
    List<String> runs = new ArrayList<>();
    int current = -1;
    int count = 0;
    for (int version : order) {
      if (version < highest) {
        backwards++;
      }
      highest = Math.max(highest, version);
      if (version != current) {
        if (count > 0) {
          runs.add("v" + current + " x" + count);
        }
        current = version;
        count = 0;
      }
      count++;
    }
    if (count > 0) {
      runs.add("v" + current + " x" + count);
    }
    System.out.printf(
        Locale.ROOT,
        "%d requests in %d s, %d failed; %d answers older than one already seen; %d version"
            + " changes in the order seen (%d expected)%n",
        requests.get(),
        took.toSeconds(),
        failures.get(),
        backwards,
        runs.size() - 1,
        order.isEmpty() ? 0 : order.get(order.size() - 1) - order.get(0));
    System.out.printf(
        Locale.ROOT,
        "%d older answers to requests sent after a newer answer had come back (in flight"
            + " across a switch excluded)%n",
        olderAfterNewer.get());
    System.out.println("versions seen, in order: " + String.join(", ", abbreviate(runs)));
    failureSamples.forEach(f -> System.out.println("failed: " + f));
  }

  private static List<String> abbreviate(List<String> runs) {
    if (runs.size() <= 40) {
      return runs;
    }
    List<String> shown = new ArrayList<>(runs.subList(0, 20));
    shown.add("... " + (runs.size() - 40) + " more ...");
    shown.addAll(runs.subList(runs.size() - 20, runs.size()));
    return shown;
  }
}
