package dev.tinystatic.cli;

/** Input the command cannot use (a missing file, invalid YAML, an invalid site). */
final class InputException extends Exception {
  InputException(String message) {
    super(message, null, false, false);
  }
}
