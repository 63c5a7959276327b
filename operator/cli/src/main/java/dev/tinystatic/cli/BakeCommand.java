package dev.tinystatic.cli;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.image.ImageArchive;
import dev.tinystatic.image.SiteImageBaker;
import dev.tinystatic.server.ServerBinary.Arch;
import dev.tinystatic.server.ServerImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** Bakes a site's image with the operator's own code, into an OCI archive or a registry. */
@Command(
    name = "bake",
    mixinStandardHelpOptions = true,
    description = {
      "Bake the image of SITE.yaml or DIR (the server and the site's files, no base image) with",
      "the operator's code, and write it to an OCI archive or push it to a registry.",
      "The image is an OCI index of one image per platform. Prints the index digest and",
      "each platform's size: what a node of that platform downloads (config and layers)."
    },
    footer = {
      "Registry credentials come from the Docker config (~/.docker/config.json).",
      ExitCodes.HELP
    })
final class BakeCommand implements Callable<Integer> {

  static final String ARCHIVE = "oci-archive:";

  @Mixin SiteSource source;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "oci-archive:PATH|REGISTRY/REPO[:TAG]",
      description = "Where the image goes: an OCI archive file, or a registry repository.")
  String target;

  @Option(names = "--insecure", description = "Allow a plain-HTTP registry.")
  boolean insecure;

  @Option(
      names = "--platform",
      split = ",",
      paramLabel = "OS/ARCH",
      converter = PlatformConverter.class,
      description =
          "Platforms to bake for, in index order: linux/amd64, linux/arm64 (default: both, or"
              + " those this build has a server for).")
  List<Arch> platforms; // null: the default

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var input = source.load();
    var image = input.image().forPlatforms(platforms());
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
    out.printf("baked %s%n  digest %s (index)%n", where, baked.digest());
    for (BakedImage.Platform platform : baked.platforms()) {
      out.printf(
          "  %-12s %,d bytes: config %,d + layers %s%n",
          platform.platform(),
          platform.bytes(),
          platform.configBytes(),
          platform.layerBytes().stream()
              .map(n -> String.format("%,d", n))
              .collect(Collectors.joining(" + ")));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The platforms asked for, each once; those this build has no server for are an error. */
  private List<Arch> platforms() throws InputException {
    if (platforms == null) {
      return ServerImage.platforms();
    }
    List<Arch> missing =
        platforms.stream().filter(a -> !ServerImage.platforms().contains(a)).toList();
    if (!missing.isEmpty()) {
      throw new InputException(
          "--platform: this build has no server for "
              + missing.stream().map(Arch::platform).collect(Collectors.joining(", "))
              + " (it was built without a cross compiler for it)");
    }
    return platforms.stream().distinct().toList();
  }

  /** {@code linux/arm64} (or {@code arm64}) to the architecture; anything else a usage error. */
  static final class PlatformConverter implements ITypeConverter<Arch> {
    @Override
    public Arch convert(String value) {
      try {
        return Arch.ofPlatform(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
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
