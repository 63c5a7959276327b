package dev.tinystatic.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tinystatic.api.RetiredImage;
import dev.tinystatic.api.SiteRevision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** status.revisions as cutovers update it, and the images that leave it. */
class RevisionHistoryTest {

  static SiteRevision revision(String hash, String image) {
    return new SiteRevision("sha256:" + hash, image, "2026-12-04T17:00:00Z");
  }

  @Test
  void aRevisionGoingLiveComesFirstAndTheOldestGoBeyondTheKeepCount() {
    var history = List.of(revision("b", "r/x@sha256:b"), revision("a", "r/x@sha256:a"));

    var after = AtomicCutover.history(history, revision("c", "r/x@sha256:c"), 2);

    assertThat(after)
        .extracting(SiteRevision::getContentHash)
        .containsExactly("sha256:c", "sha256:b");
    assertThat(RegistryImages.dropped(history, after)).containsExactly("r/x@sha256:a");
  }

  @Test
  void aRollbackToAKeptRevisionMovesItFirstAndDropsNothing() {
    var history = List.of(revision("b", "r/x@sha256:b"), revision("a", "r/x@sha256:a"));

    var after = AtomicCutover.history(history, revision("a", "r/x@sha256:a"), 5);

    assertThat(after)
        .extracting(SiteRevision::getContentHash)
        .containsExactly("sha256:a", "sha256:b");
    assertThat(RegistryImages.dropped(history, after)).isEmpty();
  }

  @Test
  void configMapRevisionsHaveNoImageToDelete() {
    var history = List.of(revision("a", null));

    var after = AtomicCutover.history(history, revision("b", null), 1);

    assertThat(RegistryImages.dropped(history, after)).isEmpty();
  }

  @Test
  void retiredImagesAreDueOnceTheirGraceIsOver() {
    Instant now = Instant.parse("2026-12-04T17:00:00Z");
    var past = new RetiredImage("r/x@sha256:a", "2026-12-04T16:59:59Z");
    var later = new RetiredImage("r/x@sha256:b", "2026-12-04T17:05:00Z");

    assertThat(RegistryImages.due(List.of(past, later), now)).containsExactly(past);
    assertThat(RegistryImages.nextIn(List.of(past, later), now))
        .isEqualTo(Optional.of(Duration.ofMinutes(5).plusSeconds(1)));
  }
}
