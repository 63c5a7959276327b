package dev.tinystatic.cli;

import picocli.CommandLine.IVersionProvider;

/** The version recorded in the jar's manifest. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"tinystatic " + (version == null ? "(development build)" : version)};
  }
}
