package dev.tinystatic.testing;

import java.nio.file.Path;

/** The checked-in CRD, as the operator and deploy modules' tests find it. */
public final class Crds {

  public static final Path SITES = Path.of("..", "crds", "tinystaticsites.tinystatic.dev-v1.yml");

  private Crds() {}
}
