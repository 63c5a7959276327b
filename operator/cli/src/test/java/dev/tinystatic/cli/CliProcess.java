package dev.tinystatic.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The {@code tinystatic} command line run as its own JVM process, through its real entry point
 * ({@code Main.main}), with the test classpath. Output lines are collected as they come.
 */
final class CliProcess implements AutoCloseable {

  final Process process;
  final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private CliProcess(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "cli-output");
    reader.setDaemon(true);
    reader.start();
  }

  static CliProcess start(String... args) throws IOException {
    return start(Map.of(), args);
  }

  /** With {@code env} changed: each name set to its value, or removed where the value is null. */
  static CliProcess start(Map<String, String> env, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                // The jar's own logging setup, not the tests' logback-test.xml.
                "-Dlogback.configurationFile="
                    + Path.of("target", "classes", "logback.xml").toAbsolutePath(),
                Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    env.forEach(
        (name, value) -> {
          if (value == null) {
            builder.environment().remove(name);
          } else {
            builder.environment().put(name, value);
          }
        });
    return new CliProcess(builder.start());
  }

  /** Runs to the end (at most two minutes) and returns the exit code. */
  int waitFor() throws InterruptedException {
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("tinystatic did not finish: " + lines);
    }
    reader.join(5_000);
    return process.exitValue();
  }

  /** The first output line containing {@code text}, waiting for it up to {@code timeout}. */
  String awaitLine(String text, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    do {
      for (String line : lines) {
        if (line.contains(text)) {
          return line;
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(50);
    } while (Instant.now().isBefore(deadline));
    throw new AssertionError("no line with '" + text + "' in: " + lines);
  }

  String output() {
    return String.join("\n", lines);
  }

  /** Ctrl-C's effect on the JVM: SIGTERM, then at most ten seconds for the shutdown hooks. */
  @Override
  public void close() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    children.forEach(ProcessHandle::destroyForcibly);
    reader.join(5_000);
  }
}
