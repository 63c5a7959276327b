package dev.tinystatic.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the TinyStaticSite CRD from the {@code api} classes with Fabric8's CRD generator. The
 * one thing added: printer columns keep the order they are declared in on the class (the generator
 * sorts them by JSON path, which would put Age first).
 */
public final class CrdGenerator {

  public static final String FILE_NAME = "tinystaticsites.tinystatic.dev-v1.yml";

  private CrdGenerator() {}

  /** Writes the CRD into {@code directory} and returns its path. */
  public static Path generateInto(Path directory) {
    try {
      Files.createDirectories(directory);
      new CRDGenerator()
          .inOutputDir(directory.toFile())
          .forCRDVersions("v1")
          .withPostProcessor(new DeclaredColumnOrder())
          .customResourceClasses(TinyStaticSite.class)
          .generate();
      return directory.resolve(FILE_NAME);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java CrdGenerator DIR}: regenerates the CRD into DIR (e.g. crds/). */
  public static void main(String[] args) {
    System.out.println("wrote " + generateInto(Path.of(args.length > 0 ? args[0] : "crds")));
  }

  private static final class DeclaredColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      List<String> declared =
          Arrays.stream(TinyStaticSite.class.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      for (var version : ((CustomResourceDefinition) crd).getSpec().getVersions()) {
        version
            .getAdditionalPrinterColumns()
            .sort(
                Comparator.comparingInt(
                    (CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
      }
      return crd;
    }
  }
}
