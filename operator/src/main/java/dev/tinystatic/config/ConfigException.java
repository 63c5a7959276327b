package dev.tinystatic.config;

/** A configuration value the operator cannot run with; the message names the variable. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
