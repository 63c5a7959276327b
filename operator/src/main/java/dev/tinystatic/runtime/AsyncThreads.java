package dev.tinystatic.runtime;

/**
 * Where asynchronous steps run. With two CPUs or fewer (a pod's CPU limit of 2 or less) the JVM's
 * common ForkJoinPool has one thread, and CompletableFuture then starts a new thread for every
 * async step. The JDK HTTP client under Fabric8 completes each API answer that way: 5,058 threads
 * were started while 1,000 sites came up on a 2-core node, and the operator used 55 CPU-s where a
 * pool of two threads needs 40 (operator/bench/scale-bench.sh).
 */
public final class AsyncThreads {

  static final String COMMON_POOL_PARALLELISM =
      "java.util.concurrent.ForkJoinPool.common.parallelism";

  private AsyncThreads() {}

  /**
   * Gives the common pool at least two threads unless the JVM was told otherwise. Call it first in
   * {@code main}: CompletableFuture chooses its executor once, when it is first used.
   */
  public static void runOnThePool() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null
        && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(COMMON_POOL_PARALLELISM, "2");
    }
  }
}
