package dev.tinystatic.reconciler;

import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records Kubernetes Events on a site, so {@code kubectl describe} tells what happened. */
final class SiteEvents {

  private static final Logger log = LoggerFactory.getLogger(SiteEvents.class);

  private final Clock clock;

  SiteEvents(Clock clock) {
    this.clock = clock;
  }

  void record(KubernetesClient client, TinyStaticSite site, SiteEvent recorded) {
    String type = recorded.warning() ? "Warning" : "Normal";
    String reason = recorded.reason();
    String message = recorded.message();
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                site.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
            .withNamespace(site.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(site.getApiVersion())
                    .withKind(site.getKind())
                    .withName(site.getMetadata().getName())
                    .withNamespace(site.getMetadata().getNamespace())
                    .withUid(site.getMetadata().getUid())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withCount(1)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withNewSource()
            .withComponent(SiteObjects.MANAGER)
            .endSource()
            .withReportingComponent(SiteObjects.MANAGER)
            .build();
    try {
      client.v1().events().inNamespace(site.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy: the condition already holds the same message.
      log.warn(
          "could not record event {} on {}: {}",
          reason,
          site.getMetadata().getName(),
          e.getMessage());
    }
  }
}
