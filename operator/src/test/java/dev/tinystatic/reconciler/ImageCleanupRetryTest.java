package dev.tinystatic.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pauses between tries to delete a deleted site's images from a failing registry. */
class ImageCleanupRetryTest {

  @Test
  void pausesGrowWithTheTimeWaitedFromOneToThirtySeconds() {
    Duration limit = Duration.ofMinutes(10);
    assertThat(retry(Duration.ZERO, limit)).isEqualTo(Duration.ofSeconds(1));
    assertThat(retry(Duration.ofSeconds(8), limit)).isEqualTo(Duration.ofSeconds(4));
    assertThat(retry(Duration.ofSeconds(40), limit)).isEqualTo(Duration.ofSeconds(20));
    assertThat(retry(Duration.ofMinutes(5), limit)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theLastPauseEndsAtTheTimeLimit() {
    assertThat(retry(Duration.ofSeconds(100), Duration.ofSeconds(120)))
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(retry(Duration.ofSeconds(119), Duration.ofSeconds(120)))
        .isEqualTo(Duration.ofSeconds(1));
  }

  private static Duration retry(Duration waited, Duration limit) {
    return SiteImageCleaner.retryIn(waited, limit.minus(waited));
  }
}
