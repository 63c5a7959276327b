package dev.tinystatic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void helpListsTheCommandsAndExitsZero() {
    var out = capture(() -> assertThat(Main.run("--help")).isZero());
    assertThat(out).contains("Usage: tinystatic").contains("operator");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    var err = captureErr(() -> assertThat(Main.run("frobnicate")).isEqualTo(2));
    assertThat(err).contains("Unmatched argument").contains("frobnicate");
  }

  static String capture(Runnable action) {
    PrintStream original = System.out;
    var buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    return buffer.toString();
  }

  static String captureErr(Runnable action) {
    PrintStream original = System.err;
    var buffer = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buffer, true));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return buffer.toString();
  }
}
