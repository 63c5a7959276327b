package dev.tinystatic.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.config.OperatorConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The lifecycle scenario with ConfigMap delivery in a real k3s, running the real server image (the
 * tarball the server module builds, imported into k3s). Runs wherever Docker runs; skipped (with
 * that reason) where it does not.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sSiteLifecycleTest extends K3sScenario {

  static final Path SERVER_IMAGE_TAR =
      Path.of("..", "server", "target", "tinystatic-server-image.tar");

  @Container static final K3sContainer K3S = new K3sContainer(DockerImageName.parse(K3S_IMAGE));

  @BeforeAll
  static void start() throws Exception {
    assertThat(SERVER_IMAGE_TAR).as("build the server first: mvn -pl server package").exists();
    K3S.copyFileToContainer(MountableFile.forHostPath(SERVER_IMAGE_TAR), "/tmp/server.tar");
    var imported =
        K3S.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/server.tar");
    assertThat(imported.getExitCode()).as(imported.getStderr()).isZero();
    startOperator(K3S, OperatorConfig.from(Map.of(OperatorConfig.HEALTH_PORT, "0")));
  }

  @AfterAll
  static void stop() {
    stopOperator();
  }
}
