package dev.tinystatic.cli;

import dev.tinystatic.api.SpecLimits;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteSpec;
import dev.tinystatic.content.ContentProblem;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteContentResolver;
import dev.tinystatic.image.SiteImage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A site read from a YAML file (a TinyStaticSite, and the ConfigMap it references when the file
 * holds it too) or from a directory of files, validated exactly as the operator validates it.
 *
 * @param site the site (from a directory: named after it, its files as binaryFiles)
 * @param referenced the ConfigMap named by spec.contentFrom, when the file holds it
 * @param content the validated content
 */
record SiteInput(TinyStaticSite site, Optional<ConfigMap> referenced, SiteContent content) {

  static final String DEFAULT_NAMESPACE = "default";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  /** The site's image, made by the same code and inputs as the operator's bake. */
  SiteImage image() {
    return SiteImage.of(site, content);
  }

  static SiteInput load(Path path) throws InputException {
    if (Files.isDirectory(path)) {
      return fromDirectory(path);
    }
    if (!Files.isRegularFile(path)) {
      throw new InputException(path + ": no such file or directory");
    }
    return fromYaml(path);
  }

  private static SiteInput fromYaml(Path file) throws InputException {
    TinyStaticSite site = null;
    List<ConfigMap> configMaps = new ArrayList<>();
    for (String document : documents(read(file))) {
      GenericKubernetesResource generic;
      try {
        generic = YAML.unmarshal(document, GenericKubernetesResource.class);
      } catch (RuntimeException e) {
        throw new InputException(file + ": invalid YAML: " + firstLine(e));
      }
      if (generic == null) {
        continue;
      }
      if ("TinyStaticSite".equals(generic.getKind())) {
        if (site != null) {
          throw new InputException(
              file + ": holds more than one TinyStaticSite; give one per file");
        }
        try {
          site = YAML.convertValue(generic, TinyStaticSite.class);
        } catch (RuntimeException e) {
          throw new InputException(file + ": not a valid TinyStaticSite: " + firstLine(e));
        }
      } else if ("ConfigMap".equals(generic.getKind())) {
        configMaps.add(YAML.convertValue(generic, ConfigMap.class));
      }
    }
    if (site == null) {
      throw new InputException(file + ": holds no TinyStaticSite (kind: TinyStaticSite)");
    }
    if (site.getMetadata() == null || site.getMetadata().getName() == null) {
      throw new InputException(file + ": the TinyStaticSite has no metadata.name");
    }
    if (site.getMetadata().getNamespace() == null) {
      site.getMetadata().setNamespace(DEFAULT_NAMESPACE);
    }
    if (site.getSpec() == null) {
      site.setSpec(new TinyStaticSiteSpec());
    }
    Optional<String> wanted = site.getSpec().referencedConfigMapName();
    Optional<ConfigMap> referenced =
        configMaps.stream()
            .filter(cm -> wanted.isPresent() && wanted.get().equals(cm.getMetadata().getName()))
            .findFirst();
    return validated(site, referenced, file.toString());
  }

  /** Version-control metadata, never part of a site. */
  private static final java.util.Set<String> SKIPPED = java.util.Set.of(".git", ".hg", ".svn");

  private static SiteInput fromDirectory(Path dir) throws InputException {
    var files = new TreeMap<String, String>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(p -> !skipped(dir, p)).toList()) {
        if (Files.isSymbolicLink(file)) {
          throw new InputException(
              file
                  + " is a symbolic link; a site holds files only (copy the"
                  + " file in, so that nothing from outside "
                  + dir
                  + " is published)");
        }
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          String path = dir.relativize(file).toString().replace('\\', '/');
          files.put(path, Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
        }
      }
    } catch (IOException e) {
      throw new InputException(dir + ": cannot read: " + e.getMessage());
    }
    var site = new TinyStaticSite();
    site.setMetadata(
        new ObjectMetaBuilder().withName(siteName(dir)).withNamespace(DEFAULT_NAMESPACE).build());
    var spec = new TinyStaticSiteSpec();
    spec.setBinaryFiles(files);
    site.setSpec(spec);
    return validated(site, Optional.empty(), dir + " (a directory)");
  }

  private static boolean skipped(Path dir, Path file) {
    for (Path part : dir.relativize(file)) {
      if (SKIPPED.contains(part.toString())) {
        return true;
      }
    }
    return false;
  }

  private static SiteInput validated(
      TinyStaticSite site, Optional<ConfigMap> referenced, String source) throws InputException {
    try {
      SpecLimits.check(site.getSpec());
      return new SiteInput(
          site, referenced, SiteContentResolver.resolve(site.getSpec(), referenced));
    } catch (ContentProblem problem) {
      String hint =
          switch (problem.reason()) {
            case "ContentSourceMissing", "ContentSourceNotLabelled" ->
                " (outside a cluster, put the ConfigMap in the same file, after ---)";
            case "ContentTooLarge" ->
                source.endsWith("(a directory)")
                    ? " (a directory's files are a site's own files, which a cluster keeps in one"
                        + " ConfigMap)"
                    : "";
            default -> "";
          };
      throw new InputException(
          source + ": " + problem.reason() + ": " + problem.getMessage() + hint);
    } catch (IllegalArgumentException invalid) {
      throw new InputException(source + ": " + invalid.getMessage());
    }
  }

  /** A DNS-1123 name from a directory name: {@code My Site/} becomes {@code my-site}. */
  static String siteName(Path dir) {
    Path name = dir.toAbsolutePath().normalize().getFileName();
    String cleaned =
        (name == null ? "site" : name.toString())
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]+", "-")
            .replaceAll("^-+|-+$", "");
    return cleaned.isEmpty() ? "site" : cleaned.substring(0, Math.min(cleaned.length(), 50));
  }

  private static List<String> documents(String yaml) {
    return List.of(yaml.split("(?m)^---\\s*$"));
  }

  private static String read(Path file) throws InputException {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
  }

  private static String firstLine(Exception e) {
    String message =
        e.getCause() != null && e.getCause().getMessage() != null
            ? e.getCause().getMessage()
            : String.valueOf(e.getMessage());
    return message.lines().findFirst().orElse(message);
  }
}
