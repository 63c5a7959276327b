package dev.tinystatic.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;

/**
 * Edits as a user's tool does them: the operator writes the same objects (a site's status, its
 * children), so an edit may meet a newer resourceVersion (409) and is then simply made again.
 */
public final class Edits {

  private Edits() {}

  public static <T extends HasMetadata> T edit(Resource<T> resource, UnaryOperator<T> change) {
    Object[] edited = new Object[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(
            () -> {
              edited[0] = resource.edit(change);
              return true;
            });
    @SuppressWarnings("unchecked")
    T result = (T) edited[0];
    return result;
  }
}
