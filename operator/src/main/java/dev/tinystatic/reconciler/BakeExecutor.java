package dev.tinystatic.reconciler;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The bounded pool image bakes run on, apart from the reconciler threads. */
final class BakeExecutor {

  /** Bakes at once: each compresses a layer and talks to the registry; two keep both busy. */
  static final int THREADS = 2;

  /** Bakes waiting; beyond this a site is told to wait and retried later. */
  static final int QUEUE = 1_000;

  private BakeExecutor() {}

  static ExecutorService create() {
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
