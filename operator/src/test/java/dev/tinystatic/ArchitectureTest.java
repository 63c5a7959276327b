package dev.tinystatic;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The operator's packages depend on each other in one direction: {@code api} and {@code config} at
 * the bottom, then {@code content}, {@code image}, {@code delivery}, {@code dependent}, {@code
 * reconciler}, and {@code runtime} on top ({@code cli}, in operator/cli, sits above them all).
 * Rules are checked from methods: Surefire 3.5.3 does not run {@code @ArchTest} fields (ArchUnit
 * issue 1442).
 */
@AnalyzeClasses(packages = "dev.tinystatic", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static void packagesDependDownwards(JavaClasses classes) {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("api")
        .definedBy("dev.tinystatic.api..")
        .layer("config")
        .definedBy("dev.tinystatic.config..")
        .layer("content")
        .definedBy("dev.tinystatic.content..")
        .layer("image")
        .definedBy("dev.tinystatic.image..")
        .layer("delivery")
        .definedBy("dev.tinystatic.delivery..")
        .layer("dependent")
        .definedBy("dev.tinystatic.dependent..")
        .layer("reconciler")
        .definedBy("dev.tinystatic.reconciler..")
        .layer("runtime")
        .definedBy("dev.tinystatic.runtime..")
        .whereLayer("runtime")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("reconciler")
        .mayOnlyBeAccessedByLayers("runtime")
        .whereLayer("dependent")
        .mayOnlyBeAccessedByLayers("reconciler", "runtime")
        .whereLayer("delivery")
        .mayOnlyBeAccessedByLayers("dependent", "reconciler", "runtime")
        .whereLayer("image")
        .mayOnlyBeAccessedByLayers("delivery", "dependent", "reconciler", "runtime")
        .whereLayer("content")
        .mayOnlyBeAccessedByLayers("image", "delivery", "dependent", "reconciler", "runtime")
        .whereLayer("config")
        .mayOnlyBeAccessedByLayers("image", "delivery", "dependent", "reconciler", "runtime")
        .check(classes);
  }

  @ArchTest
  static void noCycles(JavaClasses classes) {
    slices().matching("dev.tinystatic.(*)..").should().beFreeOfCycles().check(classes);
  }

  /** Below the reconciler nothing talks to the API server: the dependents do, through JOSDK. */
  @ArchTest
  static void apiServerOnlyFromTheTop(JavaClasses classes) {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.tinystatic.api..",
            "dev.tinystatic.config..",
            "dev.tinystatic.content..",
            "dev.tinystatic.image..",
            "dev.tinystatic.delivery..",
            "dev.tinystatic.dependent..")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(KubernetesClient.class)
        .check(classes);
  }
}
