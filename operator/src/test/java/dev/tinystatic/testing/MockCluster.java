package dev.tinystatic.testing;

import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.runtime.TinyStaticOperator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * Fabric8's mock API server in CRUD mode with the checked-in CRD registered (so the status
 * subresource works), and the operator running against it with server-side apply off (the mock
 * cannot do it) and everything else as in production.
 */
public final class MockCluster implements AutoCloseable {

  public static final Path CRD = Crds.SITES;
  public static final String SERVER_IMAGE = "tinystatic/server:test";

  /** The mock logs every request at INFO through java.util.logging; keep test output readable. */
  private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private Operator operator;

  private MockCluster(KubernetesMockServer server) {
    this.server = server;
    this.client = server.createClient();
  }

  public static MockCluster start() throws Exception {
    // Mixed: expectations (to simulate a refusal) first, then CRUD for everything else.
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    var server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations),
            false);
    server.init();
    var cluster = new MockCluster(server);
    try (var crd = Files.newInputStream(CRD)) {
      cluster
          .client
          .resource(
              cluster
                  .client
                  .getKubernetesSerialization()
                  .unmarshal(crd, CustomResourceDefinition.class))
          .create();
    }
    return cluster;
  }

  private static java.util.logging.Logger quiet(String name) {
    var logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  public static OperatorConfig testConfig() {
    return OperatorConfig.from(
            Map.of(OperatorConfig.SERVER_IMAGE, SERVER_IMAGE, OperatorConfig.HEALTH_PORT, "0"))
        .withServerSideApply(false);
  }

  /**
   * Image delivery to a plain-HTTP registry at {@code registryAddress}, repositories under sites/.
   */
  public static OperatorConfig imageDeliveryConfig(String registryAddress) {
    return OperatorConfig.from(
            Map.of(
                OperatorConfig.SERVER_IMAGE,
                SERVER_IMAGE,
                OperatorConfig.HEALTH_PORT,
                "0",
                OperatorConfig.REGISTRY,
                registryAddress + "/sites",
                OperatorConfig.REGISTRY_INSECURE,
                "true"))
        .withServerSideApply(false);
  }

  public MockCluster startOperator() {
    return startOperator(testConfig());
  }

  public MockCluster startOperator(OperatorConfig config) {
    operator = TinyStaticOperator.create(client, config);
    operator.start();
    return this;
  }

  public void stopOperator() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  public Operator operator() {
    return operator;
  }

  public KubernetesClient client() {
    return client;
  }

  public KubernetesMockServer server() {
    return server;
  }

  @Override
  public void close() {
    stopOperator();
    client.close();
    server.destroy();
  }
}
