package dev.tinystatic.cli;

import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.delivery.DeliveryPlanner;
import dev.tinystatic.dependent.DesiredObjects;
import dev.tinystatic.image.BakedImage;
import dev.tinystatic.image.ImageArchive;
import dev.tinystatic.image.SiteImage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the objects the operator would create for a site, for review and GitOps diffs. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Print the Kubernetes objects the operator would create for SITE.yaml (its content",
      "ConfigMap, Deployment and Service), with the operator's defaults and validation."
    },
    footer = ExitCodes.HELP)
final class RenderCommand implements Callable<Integer> {

  @Parameters(
      paramLabel = "SITE.yaml",
      description = "A TinyStaticSite (and the ConfigMap it references, if any).")
  Path file;

  @Mixin RegistryOptions options;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var input = SiteInput.load(file);
    var plan =
        DeliveryPlanner.plan(
            input.site(),
            input.content(),
            options.config(),
            (image, registry) -> preview(input, image, registry));
    var yaml = new KubernetesSerialization();
    var out = spec.commandLine().getOut();
    for (HasMetadata object : DesiredObjects.of(input.site(), plan)) {
      out.print("---\n" + yaml.asYaml(object).replaceFirst("^---\n", ""));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * Image delivery's image made in memory by the same code and inputs as the operator's push, so
   * that it names the same digest.
   */
  private static BakedImage preview(
      SiteInput input, SiteImage image, Optional<RegistryConfig> configured) throws InputException {
    RegistryConfig registry =
        configured.orElseThrow(
            () ->
                new InputException(
                    "the site asks for delivery: Image, which needs a registry: set"
                        + " TINYSTATIC_REGISTRY (or --registry) as the operator has it, or use"
                        + " delivery: ConfigMap"));
    String namespace = input.site().getMetadata().getNamespace();
    String name = input.site().getMetadata().getName();
    return ImageArchive.preview(
        image, registry.pushRepository(namespace, name), registry.pullRepository(namespace, name));
  }
}
