package dev.tinystatic.reconciler;

import dev.tinystatic.dependent.HttpRouteDependent;
import dev.tinystatic.dependent.SiteCondition;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster serves the Gateway API's HTTPRoute (gateway.networking.k8s.io/v1), asked of
 * API discovery (which every client may read; no CRD permission needed). The answer is kept: a
 * present API for good, an absent one for {@link #RECHECK_ABSENT}, so installing the CRDs later is
 * noticed without a restart and a cluster without them is not asked on every reconciliation.
 */
final class GatewayApi {

  static final Duration RECHECK_ABSENT = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(GatewayApi.class);

  private record Answer(boolean present, long askedAtNanos) {}

  /** One answer per client (per API server), forgotten with the client. */
  private static final Map<KubernetesClient, Answer> answers =
      Collections.synchronizedMap(new WeakHashMap<>());

  private GatewayApi() {}

  static boolean available(KubernetesClient client) {
    long now = System.nanoTime();
    Answer known = answers.get(client);
    if (known != null
        && (known.present() || now - known.askedAtNanos() < RECHECK_ABSENT.toNanos())) {
      return known.present();
    }
    boolean present = ask(client);
    if (known == null || known.present() != present) {
      log.info(
          "Gateway API ({}) {}",
          HttpRouteDependent.API,
          present ? "found: spec.gateway gives HTTPRoutes" : "not served by this cluster");
    }
    answers.put(client, new Answer(present, now));
    return present;
  }

  private static boolean ask(KubernetesClient client) {
    try {
      APIResourceList resources = client.getApiResources(new HTTPRoute().getApiVersion());
      return Optional.ofNullable(resources)
          .map(APIResourceList::getResources)
          .orElse(java.util.List.of())
          .stream()
          .anyMatch(r -> "httproutes".equals(r.getName()));
    } catch (RuntimeException e) {
      log.warn(
          "cannot ask the API server whether it serves {}: {}",
          HttpRouteDependent.API,
          e.toString());
      return false;
    }
  }

  /**
   * The HTTPRoute dependent's activation condition: without the API, JOSDK neither starts an
   * informer for it (which would fail forever) nor touches it.
   */
  public static class Present extends SiteCondition<HTTPRoute> {
    public Present() {
      super((site, context) -> available(context.getClient()));
    }
  }
}
