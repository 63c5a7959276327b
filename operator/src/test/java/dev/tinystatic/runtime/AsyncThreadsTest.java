package dev.tinystatic.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** In a fresh JVM that sees two CPUs: which thread runs a CompletableFuture's async step. */
class AsyncThreadsTest {

  @Test
  void withTwoCpusEveryAsyncStepGetsANewThreadUnlessThePoolIsSized() throws Exception {
    assertThat(asyncStepThreads(false, "2"))
        .as("the JDK's behaviour this class works around")
        .allMatch(name -> name.startsWith("Thread-"))
        .doesNotHaveDuplicates();
    assertThat(asyncStepThreads(true, "2"))
        .allMatch(name -> name.startsWith("ForkJoinPool.commonPool-worker-"));
  }

  @Test
  void aParallelismGivenToTheJvmIsKept() throws Exception {
    var command = javaSeeingCpus("2");
    command.add("-D" + AsyncThreads.COMMON_POOL_PARALLELISM + "=1");
    command.addAll(List.of(Probe.class.getName(), "true"));
    assertThat(run(command)).allMatch(name -> name.startsWith("Thread-"));
  }

  @Test
  void moreCpusAreLeftAlone() throws Exception {
    assertThat(asyncStepThreads(true, "4"))
        .allMatch(name -> name.startsWith("ForkJoinPool.commonPool-worker-"));
  }

  private static List<String> asyncStepThreads(boolean sized, String cpus) throws Exception {
    var command = javaSeeingCpus(cpus);
    command.addAll(List.of(Probe.class.getName(), Boolean.toString(sized)));
    return run(command);
  }

  private static List<String> javaSeeingCpus(String cpus) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:ActiveProcessorCount=" + cpus);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    return command;
  }

  private static List<String> run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    return output.lines().toList();
  }

  /** Prints the thread of each of three async steps, one after the other. */
  public static final class Probe {
    public static void main(String[] args) {
      if (Boolean.parseBoolean(args[0])) {
        AsyncThreads.runOnThePool();
      }
      for (int i = 0; i < 3; i++) {
        System.out.println(
            CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).join());
      }
    }
  }
}
