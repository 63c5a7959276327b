package dev.tinystatic.cli;

import dev.tinystatic.dependent.DesiredObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
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
    var plan = Plans.plan(input, options.config());
    var yaml = new KubernetesSerialization();
    var out = spec.commandLine().getOut();
    for (HasMetadata object : DesiredObjects.of(input.site(), plan)) {
      out.print("---\n" + yaml.asYaml(object).replaceFirst("^---\n", ""));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
