package dev.tinystatic.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code deploy/manifests/tinystatic.yaml}: the chart rendered with its default values, plus
 * its namespace and the CRD, for clusters without Helm. Regenerate from the repository root:
 *
 * <pre>
 * mvn -B -pl deploy test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.tinystatic.deploy.ManifestsGenerator
 * </pre>
 */
public final class ManifestsGenerator {

  static final Path FILE = Chart.DEPLOY.resolve("manifests").resolve("tinystatic.yaml");

  static final String REGENERATE =
      "mvn -B -pl deploy test-compile exec:java -Dexec.classpathScope=test"
          + " -Dexec.mainClass=dev.tinystatic.deploy.ManifestsGenerator";

  private ManifestsGenerator() {}

  /** The file's content: namespace, CRD and every template, as Helm renders them. */
  static String render() throws IOException {
    String templates = Chart.withDefaults().renderYaml();
    return """
    # TinyStatic without Helm: the chart deploy/helm/tinystatic rendered with its default values
    # (release %s in namespace %s), with the namespace and the CRD.
    #   kubectl apply -f deploy/manifests/tinystatic.yaml
    # Generated, do not edit. Regenerate (from the repository root) with
    #   %s
    ---
    apiVersion: v1
    kind: Namespace
    metadata:
      name: %s
      labels:
        # The operator pod meets the restricted Pod Security Standard: let the namespace enforce it.
        pod-security.kubernetes.io/enforce: restricted
    ---
    """
            .formatted(Chart.RELEASE, Chart.NAMESPACE, REGENERATE, Chart.NAMESPACE)
        + Files.readString(Chart.CHART_CRD)
        + (templates.startsWith("---") ? templates : "---\n" + templates);
  }

  public static void main(String[] args) throws IOException {
    Files.createDirectories(FILE.getParent());
    Files.writeString(FILE, render());
    System.out.println("wrote " + FILE.toAbsolutePath().normalize());
  }
}
