package dev.tinystatic.image;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Runs bakes in the background on a bounded executor, so that baking never holds up the
 * reconciliation of other sites. At most one bake runs per site: a site edited while its image is
 * baking gets its newest content baked next, and the versions in between are never baked. A failed
 * bake is retried with exponential backoff (1 s doubling up to 5 minutes).
 *
 * @param <S> what identifies a site (e.g. its namespace/name)
 */
public final class ImageBakes<S> {

  /** What the caller learns about its request. */
  public sealed interface Outcome {}

  /** The image is in the registry. */
  public record Baked(BakedImage image) implements Outcome {}

  /** A bake is running or queued; the callback fires when it ends. */
  public record Baking() implements Outcome {}

  /**
   * The last bake failed. Ask again once {@code retryIn} has passed; zero means a retry runs now
   * and the callback fires when it ends.
   */
  public record Failed(String message, Duration retryIn) implements Outcome {}

  /** One site's bake. */
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
  private final Map<S, Site> sites =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<S, Site> eldest) {
          return size() > REMEMBERED_SITES && !eldest.getValue().running;
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
  public synchronized Optional<BakedImage> baked(S site, String key) {
    Site state = sites.get(site);
    return state != null && state.key.equals(key) && state.state == State.DONE
        ? Optional.of(state.image)
        : Optional.empty();
  }

  /**
   * The outcome for the image with {@code key}: baked, being baked (started or queued now if need
   * be), or failed (retried once its backoff has passed).
   */
  public synchronized Outcome request(S site, String key, Job job) {
    Site state = sites.computeIfAbsent(site, s -> new Site());
    if (!key.equals(state.key)) {
      state.wanted(key);
    }
    switch (state.state) {
      case DONE:
        return new Baked(state.image);
      case QUEUED:
        return new Baking();
      case FAILED:
        Duration wait = Duration.between(clock.instant(), state.retryAt);
        if (!wait.isNegative() && !wait.isZero()) {
          return new Failed(state.error, wait);
        }
        String previous = state.error;
        start(site, state, job);
        return state.state == State.FAILED
            ? new Failed(state.error, Duration.between(clock.instant(), state.retryAt))
            : new Failed(previous, Duration.ZERO);
      default:
        start(site, state, job);
        return state.state == State.FAILED
            ? new Failed(state.error, Duration.between(clock.instant(), state.retryAt))
            : new Baking();
    }
  }

  /** Runs {@code job} now, or after the site's running bake when there is one. */
  private void start(S site, Site state, Job job) {
    state.state = State.QUEUED;
    if (state.running) {
      state.next = job;
      return;
    }
    String key = state.key;
    state.running = true;
    try {
      executor.execute(() -> run(site, state, key, job));
    } catch (RejectedExecutionException busy) {
      state.running = false;
      state.failed("too many sites are being baked at once; this one waits its turn", clock);
    }
  }

  private void run(S site, Site state, String key, Job job) {
    BakedImage image = null;
    String error = null;
    try {
      image = job.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "the bake was interrupted";
    } catch (Throwable e) {
      error = e.getMessage() == null ? e.toString() : e.getMessage();
    } finally {
      synchronized (this) {
        state.running = false;
        if (key.equals(state.key)) {
          if (error == null) {
            state.done(image);
          } else {
            state.failed(error, clock);
          }
        } else if (state.next != null) {
          // The site changed while this bake ran: bake its newest content now.
          Job next = state.next;
          state.next = null;
          start(site, state, next);
        }
      }
      onDone.accept(site);
    }
  }

  private enum State {
    NEW,
    QUEUED,
    DONE,
    FAILED
  }

  /** One site: the newest image key asked for and how its bake stands. */
  private static final class Site {
    String key;
    State state = State.NEW;
    BakedImage image;
    String error;
    Instant retryAt;
    int failures;

    /** A bake of this site runs (perhaps of an older key). */
    boolean running;

    /** The bake of {@link #key}, waiting for the running one. */
    Job next;

    void wanted(String newKey) {
      key = newKey;
      state = State.NEW;
      image = null;
      error = null;
      failures = 0;
      next = null;
    }

    void done(BakedImage baked) {
      state = State.DONE;
      image = baked;
      failures = 0;
    }

    void failed(String message, Clock clock) {
      state = State.FAILED;
      error = message;
      Duration backoff = FIRST_RETRY.multipliedBy(1L << Math.min(failures, 20));
      retryAt = clock.instant().plus(backoff.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : backoff);
      failures++;
    }
  }
}
