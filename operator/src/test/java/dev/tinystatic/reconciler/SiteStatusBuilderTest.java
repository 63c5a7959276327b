package dev.tinystatic.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tinystatic.api.Delivery;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteStatus;
import dev.tinystatic.config.OperatorConfig;
import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SiteContentResolver;
import dev.tinystatic.delivery.DeliveryPlan;
import dev.tinystatic.delivery.DeliveryPlanner;
import dev.tinystatic.testing.Sites;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SiteStatusBuilderTest {

  static final String URL = "http://hello.web.svc:8080";
  static final Rollout ROLLING = new Rollout(false, 0, "RollingOut", "0/1 pods run content x");
  static final Rollout AVAILABLE = new Rollout(true, 1, "Available", "1/1 pods serve content x");
  static final Rollout PARKED = new Rollout(true, 0, "ScaledToZero", "spec.replicas is 0");

  Instant now = Instant.parse("2026-01-01T10:00:00Z");
  final TinyStaticSite site = Sites.stored(Sites.site("web", "hello", Map.of("a.html", "hi")));

  @Test
  void aNewParkedSiteGetsOneCompleteStatusAndNoEvent() throws Exception {
    var update = serving(PARKED, 0).build();

    TinyStaticSiteStatus status = update.status().orElseThrow();
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getContentHash()).isEqualTo(content().hash());
    assertThat(status.getContentBytes()).isEqualTo(2L);
    assertThat(status.getFiles()).isEqualTo(1);
    assertThat(status.getDelivery()).isEqualTo(Delivery.ConfigMap);
    assertThat(status.getImage()).isNull();
    assertThat(status.getUrl()).isEqualTo(URL);
    assertThat(status.getReplicas()).isZero();
    assertThat(status.getReadyReplicas()).isZero();
    assertThat(status.getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("ContentReady", "True", "Valid"), tuple("Ready", "True", "ScaledToZero"));
    assertThat(status.getConditions())
        .allSatisfy(
            c -> {
              assertThat(c.getObservedGeneration()).isEqualTo(1L);
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
            });
    assertThat(condition(status, "ContentReady").getMessage())
        .startsWith("1 files, 2 bytes, sha256:");
    assertThat(update.events()).as("parking is the user's own doing").isEmpty();
  }

  @Test
  void becomingAvailableIsANormalEvent() throws Exception {
    site.setStatus(serving(ROLLING, 1).build().status().orElseThrow());
    assertThat(serving(AVAILABLE, 1).build().events())
        .containsExactly(new SiteEvent(false, "Available", "1/1 pods serve content x"));
  }

  @Test
  void theSameOutcomeAgainWritesNothingAndRecordsNothing() throws Exception {
    site.setStatus(serving(AVAILABLE, 1).build().status().orElseThrow());
    now = now.plusSeconds(3600);

    var again = serving(AVAILABLE, 1).build();

    assertThat(again.status()).isEmpty();
    assertThat(again.events()).isEmpty();
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsStatusStaysAndTakesANewOneWhenItTurns()
      throws Exception {
    site.setStatus(serving(ROLLING, 1).build().status().orElseThrow());
    now = now.plusSeconds(60);
    var stillRolling = new Rollout(false, 0, "RollingOut", "0/1 pods run content x, 1 available");
    site.setStatus(serving(stillRolling, 1).build().status().orElseThrow());
    assertThat(condition(site.getStatus(), "Ready").getLastTransitionTime())
        .as("same status, new message")
        .isEqualTo("2026-01-01T10:00:00Z");

    now = now.plusSeconds(60);
    var ready = serving(AVAILABLE, 1).build().status().orElseThrow();
    assertThat(condition(ready, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T10:02:00Z");
    assertThat(condition(ready, "ContentReady").getLastTransitionTime())
        .isEqualTo("2026-01-01T10:00:00Z");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Creating", "RollingOut", "Baking"})
  void onTheWayToReadyIsNoWarning(String reason) throws Exception {
    var update = builder().validContent(content()).notReady(reason, "on its way").build();
    assertThat(condition(update.status().orElseThrow(), "Ready").getReason()).isEqualTo(reason);
    assertThat(update.events()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "RolloutStuck",
        "NameConflict",
        "ApplyFailed",
        "ImagePushFailed",
        "ImageDeliveryUnavailable",
        "ReconcileError"
      })
  void aProblemIsReadyFalseWithAWarningOnceUntilItsReasonChanges(String reason) throws Exception {
    site.setStatus(serving(AVAILABLE, 1).build().status().orElseThrow());

    var failed = builder().validContent(content()).notReady(reason, "what is wrong").build();
    Condition ready = condition(failed.status().orElseThrow(), "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).isEqualTo("what is wrong");
    assertThat(failed.events()).containsExactly(new SiteEvent(true, reason, "what is wrong"));

    site.setStatus(failed.status().orElseThrow());
    var reworded = builder().validContent(content()).notReady(reason, "worded anew").build();
    assertThat(condition(reworded.status().orElseThrow(), "Ready").getMessage())
        .isEqualTo("worded anew");
    assertThat(reworded.events()).as("the same problem").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "InvalidPath",
        "InvalidBase64",
        "DuplicatePath",
        "PathConflict",
        "ContentTooLarge",
        "ContentSourceMissing",
        "ContentSourceNotLabelled",
        "NoContent"
      })
  void invalidContentIsBothConditionsAndAWarningAndKeepsNamingWhatIsServed(String reason)
      throws Exception {
    site.setStatus(serving(AVAILABLE, 1).build().status().orElseThrow());

    var update = builder().invalidContent(reason, "fix the files", true).replicas(1, 1).build();

    TinyStaticSiteStatus status = update.status().orElseThrow();
    assertThat(condition(status, "ContentReady").getReason()).isEqualTo(reason);
    assertThat(condition(status, "ContentReady").getMessage()).isEqualTo("fix the files");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Ready").getMessage())
        .isEqualTo("fix the files; the pods keep serving the previous content");
    assertThat(status.getContentHash()).isEqualTo(content().hash());
    assertThat(status.getUrl()).isEqualTo(URL);
    assertThat(update.events())
        .containsExactly(
            new SiteEvent(
                true, reason, "fix the files; the pods keep serving the previous content"));
  }

  @Test
  void aSiteThatNeverRanSaysNothingAboutPreviousContent() {
    var update = builder().invalidContent("InvalidPath", "bad path", false).build();
    assertThat(condition(update.status().orElseThrow(), "Ready").getMessage())
        .isEqualTo("bad path");
  }

  @Test
  void aFailureOutsideTheContentLeavesContentReadyAsItWas() throws Exception {
    site.setStatus(serving(AVAILABLE, 1).build().status().orElseThrow());
    Condition contentReady = condition(site.getStatus(), "ContentReady");
    now = now.plusSeconds(60);

    var update = builder().notReady("ApplyFailed", "refused").replicas(1, 1).build();

    assertThat(condition(update.status().orElseThrow(), "ContentReady")).isEqualTo(contentReady);
  }

  @Test
  void becomingAvailableAgainIsANormalEventAgain() throws Exception {
    site.setStatus(serving(AVAILABLE, 1).build().status().orElseThrow());
    site.getMetadata().setGeneration(2L);
    site.setStatus(serving(ROLLING, 1).build().status().orElseThrow());
    var update = serving(AVAILABLE, 1).build();
    assertThat(update.events())
        .containsExactly(new SiteEvent(false, "Available", "1/1 pods serve content x"));
    assertThat(update.status().orElseThrow().getObservedGeneration()).isEqualTo(2L);
  }

  private SiteStatusBuilder serving(Rollout rollout, int wanted) throws Exception {
    SiteContent content = content();
    DeliveryPlan plan =
        DeliveryPlanner.plan(
            site,
            content,
            OperatorConfig.from(Map.of(OperatorConfig.SERVER_IMAGE, "server:1")),
            (image, registry) -> {
              throw new AssertionError("ConfigMap delivery");
            });
    return builder()
        .validContent(content)
        .serving(plan, URL)
        .rollout(rollout)
        .replicas(wanted, rollout.readyReplicas());
  }

  private SiteStatusBuilder builder() {
    return new SiteStatusBuilder(site, Clock.fixed(now, ZoneOffset.UTC));
  }

  private SiteContent content() throws Exception {
    return SiteContentResolver.resolve(site.getSpec(), Optional.empty());
  }

  private static Condition condition(TinyStaticSiteStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
