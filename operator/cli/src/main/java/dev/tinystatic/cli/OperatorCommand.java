package dev.tinystatic.cli;

import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.runtime.RunningOperator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Runs the operator against the current kubeconfig or the in-cluster configuration: the image's own
 * entry point, {@link RunningOperator}.
 */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = {
      "Run the TinyStatic operator against the current kubeconfig (or in-cluster config).",
      "Configured by environment variables: TINYSTATIC_WATCH_NAMESPACES, TINYSTATIC_SERVER_IMAGE,"
          + " TINYSTATIC_REGISTRY, TINYSTATIC_REGISTRY_PULL_PREFIX, TINYSTATIC_REGISTRY_INSECURE,"
          + " TINYSTATIC_REGISTRY_SECRET, TINYSTATIC_IMAGE_PULL_SECRETS,"
          + " TINYSTATIC_RECONCILE_THREADS, TINYSTATIC_LEADER_ELECTION, TINYSTATIC_NAMESPACE,"
          + " TINYSTATIC_HEALTH_PORT (health and metrics), TINYSTATIC_SERVER_SIDE_APPLY,"
          + " TINYSTATIC_LOG_LEVEL, TINYSTATIC_LOG_FORMAT (see README)."
    })
public final class OperatorCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    RunningOperator.run(OperatorConfig.fromEnvironment());
    return ExitCodes.OK;
  }
}
