package dev.tinystatic.image;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Runs bakes in the background on a bounded executor, one at a time per site, so that baking
 * never holds up the reconciliation of other sites. Remembers each site's latest outcome; a
 * failed bake is retried with exponential backoff (1 s doubling up to 5 minutes).
 *
 * @param <S> what identifies a site (e.g. its namespace/name)
 */
public final class ImageBakes<S> {

  /** What the caller learns about its request. */
  public sealed interface Outcome {}

  /** The image is in the registry. */
  public record Baked(BakedImage image) implements Outcome {}

  /** A bake is running; the callback fires when it ends. */
  public record Baking() implements Outcome {}

  /** The last bake failed; another runs once {@code retryIn} has passed (ask again then). */
  public record Failed(String message, Duration retryIn) implements Outcome {}

  /** One site's bake, by {@link SiteImage#key}. */
  @FunctionalInterface
  public interface Job {
    BakedImage run() throws Exception;
  }

  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration LAST_RETRY = Duration.ofMinutes(5);
  private static final int REMEMBERED_SITES = 10_000;

  private final ExecutorService executor;
  private final Consumer<S> onDone;
  private final Clock clock;
  private final Map<S, Entry> entries =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<S, Entry> eldest) {
          return size() > REMEMBERED_SITES && eldest.getValue().state != State.RUNNING;
        }
      };

  /**
   * @param executor a bounded executor that runs the bakes
   * @param onDone called with the site when one of its bakes ends (to reconcile it again)
   */
  public ImageBakes(ExecutorService executor, Consumer<S> onDone, Clock clock) {
    this.executor = executor;
    this.onDone = onDone;
    this.clock = clock;
  }

  /** The image baked for {@code key}, when this process baked it. */
  public synchronized java.util.Optional<BakedImage> baked(S site, String key) {
    Entry entry = entries.get(site);
    return entry != null && entry.key.equals(key) && entry.state == State.DONE
        ? java.util.Optional.of(entry.image)
        : java.util.Optional.empty();
  }

  /**
   * The outcome for the image with {@code key}: baked, being baked (started now if need be), or
   * failed (retried once its backoff has passed).
   */
  public synchronized Outcome request(S site, String key, Job job) {
    Entry entry = entries.get(site);
    if (entry == null || !entry.key.equals(key)) {
      entry = new Entry(key);
      entries.put(site, entry);
    }
    switch (entry.state) {
      case DONE:
        return new Baked(entry.image);
      case RUNNING:
        return new Baking();
      case FAILED:
        Duration wait = Duration.between(clock.instant(), entry.retryAt);
        if (!wait.isNegative() && !wait.isZero()) {
          return new Failed(entry.error, wait);
        }
        start(site, entry, job);
        return new Failed(entry.error, Duration.ZERO);
      default:
        start(site, entry, job);
        return entry.state == State.FAILED
            ? new Failed(entry.error, Duration.between(clock.instant(), entry.retryAt))
            : new Baking();
    }
  }

  private void start(S site, Entry entry, Job job) {
    entry.state = State.RUNNING;
    try {
      executor.execute(() -> run(site, entry, job));
    } catch (RejectedExecutionException busy) {
      fail(entry, "too many sites are being baked at once; this one waits its turn");
    }
  }

  private void run(S site, Entry entry, Job job) {
    try {
      BakedImage image = job.run();
      synchronized (this) {
        entry.image = image;
        entry.state = State.DONE;
        entry.failures = 0;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      synchronized (this) {
        fail(entry, "the bake was interrupted");
      }
    } catch (Exception e) {
      synchronized (this) {
        fail(entry, e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
    onDone.accept(site);
  }

  private void fail(Entry entry, String error) {
    entry.state = State.FAILED;
    entry.error = error;
    long factor = 1L << Math.min(entry.failures, 20);
    Duration backoff = FIRST_RETRY.multipliedBy(factor);
    entry.retryAt = clock.instant().plus(backoff.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : backoff);
    entry.failures++;
  }

  private enum State { NEW, RUNNING, DONE, FAILED }

  private static final class Entry {
    final String key;
    State state = State.NEW;
    BakedImage image;
    String error;
    Instant retryAt;
    int failures;

    Entry(String key) {
      this.key = key;
    }
  }
}
