package dev.tinystatic.bench;

import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteFile;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.image.ImageBakes;
import dev.tinystatic.image.SiteImage;
import dev.tinystatic.image.SiteImageBaker;
import dev.tinystatic.server.ServerImage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;

/**
 * Image delivery budgets, measured against a real registry (started by
 * operator/bench/bake-bench.sh): bake + push of a 100 KiB site after warm-up, the no-change path,
 * the size of a one-page site's image per platform next to asmttpd's 6,340-byte image, and N new
 * sites baked with the server layers uploaded to each site repository and mounted from the server
 * repository, side by side. Prints figures; asserts nothing.
 *
 * <p>Arguments: REGISTRY (host:port) [WARMUP] [RUNS] [NEW_SITES].
 */
public final class BakeBenchmark {

  static final long ASMTTPD_IMAGE_BYTES = 6_340;
  static final int SITE_BYTES = 100 * 1024;

  public static void main(String[] args) throws Exception {
    String registry = args[0];
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int newSites = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    String repo = registry + "/bench";
    // the operator's baker: server layers mounted from bench/tinystatic-server
    var baker =
        new SiteImageBaker(new RegistryConfig(repo, Optional.empty(), true, Optional.empty()));
    var random = new Random(42);

    for (int i = 0; i < warmup; i++) {
      baker.bake(
          image(site(random), 8080),
          repo + "/warmup",
          Optional.empty(),
          repo + "/warmup",
          Optional.empty());
    }
    long[] millis = new long[runs];
    BakedImage last = null;
    for (int i = 0; i < runs; i++) {
      SiteImage image = image(site(random), 8080);
      long start = System.nanoTime();
      last =
          baker.bake(
              image, repo + "/site100k", Optional.empty(), repo + "/site100k", Optional.empty());
      millis[i] = (System.nanoTime() - start) / 1_000_000;
      if (!last.pushed()) {
        throw new IllegalStateException("fresh content was not pushed");
      }
    }
    Arrays.sort(millis);
    System.out.printf(
        "bake + push of a 100 KiB site (%d files, new content each run), %d runs after %d"
            + " warm-up:%n",
        10, runs, warmup);
    System.out.printf(
        "  median %d ms   p90 %d ms   min %d ms   max %d ms   (budget: 200 ms)%n",
        millis[runs / 2], millis[(int) (runs * 0.9)], millis[0], millis[runs - 1]);

    SiteContent unchanged = site(random);
    baker.bake(
        image(unchanged, 8080), repo + "/same", Optional.empty(), repo + "/same", Optional.empty());
    long start = System.nanoTime();
    BakedImage again =
        baker.bake(
            image(unchanged, 8080),
            repo + "/same",
            Optional.empty(),
            repo + "/same",
            Optional.empty());
    System.out.printf(
        "same content baked again: %d ms, pushed: %s (the registry had the manifest)%n",
        (System.nanoTime() - start) / 1_000_000, again.pushed());

    var bakes =
        new ImageBakes<String>(Executors.newSingleThreadExecutor(), site -> {}, Clock.systemUTC());
    int[] jobs = {0};
    SiteImage same = image(unchanged, 8080);
    ImageBakes.Job job =
        () -> {
          jobs[0]++;
          return baker.bake(
              same, repo + "/same", Optional.empty(), repo + "/same", Optional.empty());
        };
    while (!(bakes.request("web/same", same.key(repo + "/same", repo + "/same"), job)
        instanceof ImageBakes.Baked)) {
      Thread.sleep(5);
    }
    for (int i = 0; i < 1000; i++) {
      bakes.request("web/same", same.key(repo + "/same", repo + "/same"), job);
    }
    System.out.printf(
        "no-change reconciles: 1,000 requests for an unchanged site ran %d bake(s) in all%n",
        jobs[0]);

    BakedImage onePage =
        baker.bake(
            image(
                new SiteContent(
                    List.of(
                        SiteFile.text(
                            "index.html",
                            "<!doctype html><title>Hello</title><h1>Hello from TinyStatic</h1>\n")),
                    Optional.empty()),
                8080),
            repo + "/hello",
            Optional.empty(),
            repo + "/hello",
            Optional.empty());
    for (BakedImage.Platform platform : onePage.platforms()) {
      System.out.printf(
          "one-page site image, %s: %,d bytes = server layer %,d + content layer %,d + config %,d"
              + "   (asmttpd image: %,d bytes; ratio %.2f)%n",
          platform.platform(),
          platform.bytes(),
          platform.layerBytes().get(0),
          platform.layerBytes().get(1),
          platform.configBytes(),
          ASMTTPD_IMAGE_BYTES,
          (double) platform.bytes() / ASMTTPD_IMAGE_BYTES);
    }

    if (newSites > 0) {
      newSites(registry, repo, newSites, random);
    }
    System.exit(0);
  }

  /**
   * {@code count} new sites, each into its own repository, baked in turns by a baker that uploads
   * every blob (as before the mount) and by the operator's, which mounts the server layers.
   */
  static void newSites(String registry, String repo, int count, Random random) throws Exception {
    var uploading = new SiteImageBaker(registry, true);
    var mounting =
        new SiteImageBaker(new RegistryConfig(repo, Optional.empty(), true, Optional.empty()));
    long[][] millis = new long[2][count];
    long[] bytes = new long[2];
    for (int i = 0; i < count; i++) {
      for (int b = 0; b < 2; b++) {
        var baker = b == 0 ? uploading : mounting;
        String site = repo + (b == 0 ? "/upload/site-" : "/mount/site-") + i;
        SiteImage image =
            image(
                new SiteContent(
                    List.of(
                        SiteFile.text(
                            "index.html", "<h1>site " + i + " " + random.nextLong() + "</h1>")),
                    Optional.empty()),
                8080);
        long start = System.nanoTime();
        BakedImage baked = baker.bake(image, site, Optional.empty(), site, Optional.empty());
        millis[b][i] = (System.nanoTime() - start) / 1_000;
        bytes[b] += baked.uploadedBytes();
      }
    }
    System.out.printf(
        "%d new one-page sites, each into a new repository (%s), taking turns:%n",
        count,
        String.join(" + ", ServerImage.platforms().stream().map(a -> a.platform()).toList()));
    for (int b = 0; b < 2; b++) {
      long[] m = millis[b];
      Arrays.sort(m);
      System.out.printf(
          "  %-34s median %.1f ms  p90 %.1f ms  total %.1f s   uploaded %,d bytes (%,d per site)%n",
          b == 0 ? "server layers uploaded (before):" : "server layers mounted (after):",
          m[count / 2] / 1000.0,
          m[(int) (count * 0.9)] / 1000.0,
          Arrays.stream(m).sum() / 1e6,
          bytes[b],
          bytes[b] / count);
    }
    System.out.printf(
        "  ratio after/before: time %.2f, bytes %.2f%n",
        (double) Arrays.stream(millis[1]).sum() / Arrays.stream(millis[0]).sum(),
        (double) bytes[1] / bytes[0]);
  }

  static SiteImage image(SiteContent content, int port) {
    return new SiteImage("web/bench", content, port);
  }

  /** 100 KiB of text over 10 files (pages, styles, scripts), different each call. */
  static SiteContent site(Random random) {
    String[] words = {
      "static",
      "site",
      "tiny",
      "server",
      "kubernetes",
      "operator",
      "image",
      "layer",
      "content",
      "page",
      "style",
      "script",
      "registry",
      "digest",
      "hello",
      "world"
    };
    List<SiteFile> files = new ArrayList<>();
    String[] names = {
      "index.html",
      "about.html",
      "docs/index.html",
      "docs/guide.html",
      "blog/post-1.html",
      "blog/post-2.html",
      "css/site.css",
      "css/print.css",
      "js/app.js",
      "js/search.js"
    };
    for (String name : names) {
      var text = new StringBuilder();
      while (text.length() < SITE_BYTES / names.length) {
        text.append(words[random.nextInt(words.length)]).append(random.nextInt(1000)).append(' ');
      }
      files.add(SiteFile.text(name, text.substring(0, SITE_BYTES / names.length)));
    }
    return new SiteContent(files, Optional.empty());
  }
}
