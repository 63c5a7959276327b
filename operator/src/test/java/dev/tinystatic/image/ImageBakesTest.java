package dev.tinystatic.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ImageBakesTest {

  final ManualExecutor executor = new ManualExecutor();
  final List<String> woken = new ArrayList<>();
  final MutableClock clock = new MutableClock();
  final ImageBakes<String> bakes = new ImageBakes<>(executor, woken::add, clock);
  final AtomicInteger runs = new AtomicInteger();

  @Test
  void aBakeRunsInTheBackgroundOnceAndIsRememberedByKey() {
    assertThat(bakes.request("web/a", "k1", this::bake)).isInstanceOf(ImageBakes.Baking.class);
    assertThat(bakes.request("web/a", "k1", this::bake))
        .as("not started twice")
        .isInstanceOf(ImageBakes.Baking.class);
    assertThat(executor.pending()).isEqualTo(1);

    executor.runAll();
    assertThat(woken).containsExactly("web/a");
    var outcome = bakes.request("web/a", "k1", this::bake);
    assertThat(outcome).isInstanceOf(ImageBakes.Baked.class);
    assertThat(((ImageBakes.Baked) outcome).image().key()).isEqualTo("k1");
    assertThat(bakes.baked("web/a", "k1")).contains(((ImageBakes.Baked) outcome).image());
    assertThat(bakes.baked("web/a", "k2")).isEmpty();
    assertThat(runs).hasValue(1);

    assertThat(bakes.request("web/a", "k2", this::bake))
        .as("new content, new bake")
        .isInstanceOf(ImageBakes.Baking.class);
  }

  @Test
  void aFailedBakeIsRetriedWithExponentialBackoff() {
    ImageBakes.Job failing =
        () -> {
          runs.incrementAndGet();
          throw new Exception("registry r:5000: cannot connect");
        };
    bakes.request("web/a", "k", failing);
    executor.runAll();

    var failed = (ImageBakes.Failed) bakes.request("web/a", "k", failing);
    assertThat(failed.message()).isEqualTo("registry r:5000: cannot connect");
    assertThat(failed.retryIn()).isEqualTo(Duration.ofSeconds(1));
    assertThat(executor.pending()).as("no retry before the backoff").isZero();

    clock.advance(Duration.ofSeconds(1));
    assertThat(((ImageBakes.Failed) bakes.request("web/a", "k", failing)).retryIn()).isZero();
    executor.runAll();
    assertThat(((ImageBakes.Failed) bakes.request("web/a", "k", failing)).retryIn())
        .isEqualTo(Duration.ofSeconds(2));
    clock.advance(Duration.ofSeconds(2));
    bakes.request("web/a", "k", failing);
    executor.runAll();
    assertThat(((ImageBakes.Failed) bakes.request("web/a", "k", failing)).retryIn())
        .isEqualTo(Duration.ofSeconds(4));

    for (int i = 0; i < 12; i++) {
      clock.advance(Duration.ofMinutes(10));
      bakes.request("web/a", "k", failing);
      executor.runAll();
    }
    assertThat(((ImageBakes.Failed) bakes.request("web/a", "k", failing)).retryIn())
        .as("capped")
        .isEqualTo(Duration.ofMinutes(5));

    clock.advance(Duration.ofMinutes(5));
    bakes.request("web/a", "k", this::bake);
    executor.runAll();
    assertThat(bakes.request("web/a", "k", this::bake))
        .as("recovers")
        .isInstanceOf(ImageBakes.Baked.class);
  }

  @Test
  void oneBakeRunsPerSiteAndOnlyTheNewestContentIsBakedNext() {
    List<String> baked = new ArrayList<>();
    bakes.request("web/a", "k1", () -> bakeOf("k1", baked));
    assertThat(executor.pending()).isEqualTo(1);
    assertThat(bakes.request("web/a", "k2", () -> bakeOf("k2", baked)))
        .isInstanceOf(ImageBakes.Baking.class);
    assertThat(bakes.request("web/a", "k3", () -> bakeOf("k3", baked)))
        .isInstanceOf(ImageBakes.Baking.class);
    assertThat(executor.pending()).as("k2 and k3 wait for k1").isEqualTo(1);
    assertThat(bakes.request("web/b", "k1", () -> bakeOf("b1", baked)))
        .as("another site is not held up")
        .isInstanceOf(ImageBakes.Baking.class);
    assertThat(executor.pending()).isEqualTo(2);

    executor.runAll();
    assertThat(baked).containsExactly("k1", "b1");
    assertThat(executor.pending()).as("then the newest, k3, starts").isEqualTo(1);
    executor.runAll();
    assertThat(baked).containsExactly("k1", "b1", "k3");
    assertThat(bakes.request("web/a", "k3", () -> bakeOf("k3", baked)))
        .isInstanceOf(ImageBakes.Baked.class);
  }

  @Test
  void anErrorInABakeIsAFailureNotABakeForever() {
    bakes.request(
        "web/a",
        "k",
        () -> {
          throw new StackOverflowError("deep");
        });
    executor.runAll();
    assertThat(woken).containsExactly("web/a");
    assertThat(bakes.request("web/a", "k", this::bake)).isInstanceOf(ImageBakes.Failed.class);
  }

  @Test
  void aRetryTheExecutorRefusesIsRescheduledNotForgotten() {
    ImageBakes.Job failing =
        () -> {
          throw new Exception("down");
        };
    bakes.request("web/a", "k", failing);
    executor.runAll();
    clock.advance(Duration.ofSeconds(1));
    executor.full = true;
    var outcome = (ImageBakes.Failed) bakes.request("web/a", "k", failing);
    assertThat(outcome.retryIn())
        .as("asked to come back, not left waiting for a bake that never runs")
        .isPositive();
  }

  @Test
  void aFullExecutorIsAFailureToRetryNotACrash() {
    executor.full = true;
    var outcome = bakes.request("web/a", "k", this::bake);
    assertThat(outcome).isInstanceOf(ImageBakes.Failed.class);
    assertThat(((ImageBakes.Failed) outcome).message())
        .contains("too many sites are being baked at once");
  }

  private BakedImage bakeOf(String key, List<String> log) {
    log.add(key);
    return new BakedImage(key, "sha256:d", "r/a@sha256:d", 1, List.of(), true, 0);
  }

  private BakedImage bake() {
    runs.incrementAndGet();
    return new BakedImage("k1", "sha256:d", "r/a@sha256:d", 1, List.of(), true, 0);
  }

  /** Runs submitted tasks only when told to, so the test sees every state. */
  static final class ManualExecutor extends AbstractExecutorService {
    final List<Runnable> tasks = new ArrayList<>();
    boolean full;

    @Override
    public void execute(Runnable task) {
      if (full) {
        throw new RejectedExecutionException("full");
      }
      tasks.add(task);
    }

    int pending() {
      return tasks.size();
    }

    void runAll() {
      var now = new ArrayList<>(tasks);
      tasks.clear();
      now.forEach(Runnable::run);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-28T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
