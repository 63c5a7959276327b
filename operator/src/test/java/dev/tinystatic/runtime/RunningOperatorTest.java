package dev.tinystatic.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class RunningOperatorTest {

  @Test
  void aFailureIsDescribedByTheMessagesOfItsCausesEachOnce() {
    var root = new IOException("connection refused");
    var middle = new IllegalStateException("cannot list tinystaticsites: connection refused", root);
    var top = new RuntimeException("Error starting operator", middle);

    assertThat(RunningOperator.describe(top))
        .isEqualTo("Error starting operator: cannot list tinystaticsites: connection refused");
  }

  @Test
  void aFailureWithoutMessageIsNamedByItsType() {
    assertThat(RunningOperator.describe(new NullPointerException()))
        .isEqualTo("NullPointerException");
  }
}
