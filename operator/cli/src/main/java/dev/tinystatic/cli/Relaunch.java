package dev.tinystatic.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs this command line again in a new JVM (same java, JVM options, class path and arguments),
 * with environment variables added, and waits for it. For settings a library reads from the
 * environment only (Testcontainers reads {@code TESTCONTAINERS_RYUK_DISABLED} and {@code
 * TESTCONTAINERS_HOST_OVERRIDE} with System.getenv, and a running JVM cannot change its own
 * environment). The child shares this terminal and its output; when this process is stopped
 * (Ctrl-C, SIGTERM) it stops the child and waits for its teardown.
 */
final class Relaunch {

  /** How long a stopped child may take to tear down (k3s stops in about ten seconds). */
  private static final long TEARDOWN_SECONDS = 30;

  private Relaunch() {}

  /** Runs {@code Main} with {@code args} and returns the child's exit code. */
  static int withEnvironment(List<String> args, Map<String, String> added)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    // The JVM options these held are among the input arguments already: not twice.
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().putAll(added);
    Process child = builder.start();
    Thread stopChild =
        new Thread(
            () -> {
              child.destroy();
              try {
                child.waitFor(TEARDOWN_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException ignored) {
                // the JVM is going down anyway
              }
            },
            "relaunch-stop-child");
    Runtime.getRuntime().addShutdownHook(stopChild);
    int code = child.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(stopChild);
    } catch (IllegalStateException shuttingDown) {
      // this process is being stopped: the hook is stopping the child
    }
    return code;
  }

  /** {@code A=1 B=2}, as a shell takes them. */
  static String assignments(Map<String, String> env) {
    return env.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}
