package dev.tinystatic.reconciler;

import dev.tinystatic.api.TinyStaticSite;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool image bakes run on, apart from the reconciler threads, and the event source that
 * wakes a site up when its bake ends. The pool belongs to the event source: JOSDK stops event
 * sources with their controller, and the bakes stop then too.
 */
final class BakeEvents extends SimpleInboundEventSource<TinyStaticSite> {

  /** Bakes at once: each compresses a layer and talks to the registry; two keep both busy. */
  static final int THREADS = 2;

  /** Bakes waiting; beyond this a site is told to wait and retried later. */
  static final int QUEUE = 1_000;

  /** How long a stop waits for bakes to end once interrupted. */
  private static final long STOP_SECONDS = 5;

  private final ExecutorService executor = pool();

  BakeEvents() {
    super("bakes-done");
  }

  ExecutorService executor() {
    return executor;
  }

  @Override
  public void stop() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    super.stop();
  }

  private static ExecutorService pool() {
    var number = new AtomicInteger();
    return new ThreadPoolExecutor(
        THREADS,
        THREADS,
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE),
        runnable -> {
          Thread thread = new Thread(runnable, "tinystatic-bake-" + number.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
