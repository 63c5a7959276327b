package dev.tinystatic.cli;

import dev.tinystatic.runtime.AsyncThreads;
import dev.tinystatic.runtime.RunningOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tinystatic} command line; with no subcommand it runs the operator. */
@Command(
    name = "tinystatic",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "TinyStatic: small static sites on Kubernetes, served by a few-kilobyte server.",
    subcommands = {
      OperatorCommand.class,
      DevCommand.class,
      ServeCommand.class,
      RenderCommand.class,
      BakeCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = ExitCodes.HELP)
public final class Main implements java.util.concurrent.Callable<Integer> {

  public static void main(String[] args) {
    AsyncThreads.runOnThePool();
    quietLogsOutsideTheOperator(args);
    System.exit(run(args));
  }

  /**
   * The operator logs JSON at INFO (for collectors); the other commands print their own output and
   * only log warnings, as text on stderr. Set before logging starts; the environment wins.
   */
  static void quietLogsOutsideTheOperator(String[] args) {
    boolean operator = args.length == 0 || "operator".equals(args[0]);
    if (!operator) {
      defaultProperty("TINYSTATIC_LOG_FORMAT", "text");
      defaultProperty("TINYSTATIC_LOG_LEVEL", "WARN");
    }
  }

  private static void defaultProperty(String name, String value) {
    if (System.getenv(name) == null && System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  /** Runs the command line and returns its exit code (the tests call this). */
  public static int run(String... args) {
    return new CommandLine(new Main()).setExecutionExceptionHandler(Main::report).execute(args);
  }

  /** Bad input and failures: one clear line on stderr and an exit code that says which. */
  private static int report(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    var err = command.getErr();
    if (e instanceof InputException) {
      err.println("tinystatic " + command.getCommandName() + ": " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    err.println("tinystatic " + commandName(command) + " failed: " + RunningOperator.describe(e));
    return ExitCodes.FAILED;
  }

  /** The subcommand that failed; the operator's when none was named (it is the default). */
  private static String commandName(CommandLine command) {
    return command.getCommandSpec().parent() == null ? "operator" : command.getCommandName();
  }

  @Override
  public Integer call() throws Exception {
    return new OperatorCommand().call();
  }
}
