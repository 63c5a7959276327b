package dev.tinystatic.cli;

/** What each exit code of the command line means (also in every command's --help). */
final class ExitCodes {
  static final int OK = 0;

  /** The command could not do its job (a registry down, a port taken, a server that failed). */
  static final int FAILED = 1;

  /** Wrong options or arguments (picocli's usage error). */
  static final int USAGE = 2;

  /** The input is not a valid site: a missing file, invalid YAML, invalid paths or content. */
  static final int INVALID_INPUT = 3;

  /** Something the command needs is not on this machine (Docker for dev). */
  static final int UNAVAILABLE = 4;

  static final String HELP =
      "Exit codes: 0 ok, 1 failed, 2 usage error, 3 invalid input, 4 missing prerequisite.";

  private ExitCodes() {}
}
