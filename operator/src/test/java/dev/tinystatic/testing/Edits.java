package dev.tinystatic.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;

/**
 * Edits as a user's tool does them: the operator writes the same objects (a site's status, its
 * children), so an edit may meet a newer resourceVersion (409) and is then simply made again.
 */
public final class Edits {

  private Edits() {}

  public static <T extends HasMetadata> T edit(Resource<T> resource, UnaryOperator<T> change) {
    return retryOnConflict(() -> resource.edit(change));
  }

  /** Runs {@code write} (which reads what it changes) again while it meets a 409; its result. */
  public static <T> T retryOnConflict(Supplier<T> write) {
    var written = new AtomicReference<T>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(
            () -> {
              written.set(write.get());
              return true;
            });
    return written.get();
  }
}
