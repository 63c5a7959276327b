package dev.tinystatic.mockapi;

import dev.tinystatic.testing.MockCluster;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One mock API server and operator (test configuration) for all the tests of a class, each test in
 * a namespace of its own: {@code PREFIX-N}.
 */
abstract class SharedMockApiTest extends MockApiTest {

  private static final AtomicInteger namespaces = new AtomicInteger();
  private static MockCluster shared;

  private final String namespacePrefix;

  SharedMockApiTest(String namespacePrefix) {
    this.namespacePrefix = namespacePrefix;
  }

  @BeforeAll
  static void startCluster() throws Exception {
    shared = MockCluster.start().startOperator();
  }

  @AfterAll
  static void stopCluster() {
    shared.close();
  }

  @BeforeEach
  void freshNamespace() {
    useCluster(shared, namespacePrefix + "-" + namespaces.incrementAndGet());
  }
}
