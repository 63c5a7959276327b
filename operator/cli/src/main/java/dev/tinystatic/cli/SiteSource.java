package dev.tinystatic.cli;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The site a command bakes or serves: a TinyStaticSite file, or a directory of files. */
final class SiteSource {

  @Parameters(
      paramLabel = "SITE.yaml|DIR",
      description =
          "A TinyStaticSite file, or a directory of files (symbolic links refused; .git, .hg, .svn"
              + " left out).")
  Path path;

  SiteInput load() throws InputException {
    return SiteInput.load(path);
  }
}
