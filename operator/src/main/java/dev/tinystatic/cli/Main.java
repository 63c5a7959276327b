package dev.tinystatic.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tinystatic} command line; with no subcommand it runs the operator. */
@Command(
    name = "tinystatic",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "TinyStatic: small static sites on Kubernetes, served by a few-kilobyte server.",
    subcommands = {OperatorCommand.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (the tests call this). */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    return new OperatorCommand().call();
  }
}
