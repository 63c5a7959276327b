package dev.tinystatic.cli;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.image.ImageArchive;
import dev.tinystatic.image.SiteImageBaker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Bakes a site's image with the operator's own code, into an OCI archive or a registry. */
@Command(
    name = "bake",
    mixinStandardHelpOptions = true,
    description = {
      "Bake the image of SITE.yaml or DIR (the server and the site's files, no base image) with",
      "the operator's code, and write it to an OCI archive or push it to a registry.",
      "Prints its digest and size."
    },
    footer = {
      "Registry credentials come from the Docker config (~/.docker/config.json).",
      ExitCodes.HELP
    })
final class BakeCommand implements Callable<Integer> {

  static final String ARCHIVE = "oci-archive:";

  @Parameters(
      paramLabel = "SITE.yaml|DIR",
      description =
          "A TinyStaticSite file, or a directory of files (symbolic links refused; .git, .hg, .svn"
              + " left out).")
  Path source;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "oci-archive:PATH|REGISTRY/REPO[:TAG]",
      description = "Where the image goes: an OCI archive file, or a registry repository.")
  String target;

  @Option(names = "--insecure", description = "Allow a plain-HTTP registry.")
  boolean insecure;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var input = SiteInput.load(source);
    var image = input.image();
    BakedImage baked;
    String where;
    if (target.startsWith(ARCHIVE)) {
      Path tar = Path.of(target.substring(ARCHIVE.length())).toAbsolutePath();
      if (tar.getParent() != null) {
        Files.createDirectories(tar.getParent());
      }
      String reference = "localhost/tinystatic/" + input.site().getMetadata().getName() + ":latest";
      baked =
          ImageArchive.write(
              image,
              tar,
              reference,
              "localhost/tinystatic/" + input.site().getMetadata().getName());
      where = tar + " (" + reference + ")";
    } else {
      ImageReference reference = parse(target);
      String repository = reference.getRegistry() + "/" + reference.getRepository();
      // Jib fills in "latest" when no tag is given: look at what the user wrote.
      Optional<String> tag = hasTag(target) ? reference.getTag() : Optional.empty();
      var baker = new SiteImageBaker(reference.getRegistry(), insecure);
      if (tag.isPresent()) {
        baker.pushingKnownImages();
      }
      baked = baker.bake(image, repository, tag, repository, credentials(reference));
      where =
          repository
              + ":"
              + tag.orElseGet(() -> SiteImageBaker.tagOf(image))
              + (baked.pushed() ? "" : " (the registry had it already)");
    }
    var out = spec.commandLine().getOut();
    out.printf(
        "baked %s%n  digest %s%n  size   %,d bytes (config and layers: %s)%n",
        where, baked.digest(), baked.bytes(), baked.layerBytes());
    out.flush();
    return ExitCodes.OK;
  }

  /** {@code host:5000/repo:tag} has a tag; {@code host:5000/repo} has not. */
  static boolean hasTag(String target) {
    int slash = target.lastIndexOf('/');
    return target.indexOf(':', slash + 1) >= 0;
  }

  private static ImageReference parse(String target) throws InputException {
    try {
      ImageReference reference = ImageReference.parse(target);
      if (reference.getDigest().isPresent()) {
        throw new InputException(
            "--to " + target + ": give a tag, not a digest (the digest is the result)");
      }
      return reference;
    } catch (InvalidImageReferenceException e) {
      throw new InputException(
          "--to " + target + ": neither oci-archive:PATH nor a valid REGISTRY/REPO[:TAG]");
    }
  }

  private static Optional<Credential> credentials(ImageReference reference) throws Exception {
    return CredentialRetrieverFactory.forImage(reference, event -> {}).dockerConfig().retrieve();
  }
}
