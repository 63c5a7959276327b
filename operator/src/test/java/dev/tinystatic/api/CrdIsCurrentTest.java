package dev.tinystatic.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CRD checked in under crds/ is exactly what the api classes generate. */
class CrdIsCurrentTest {

  static final Path CHECKED_IN = Path.of("..", "crds", CrdGenerator.FILE_NAME);

  @Test
  void checkedInCrdMatchesTheModel(@TempDir Path dir) throws Exception {
    String generated = Files.readString(CrdGenerator.generateInto(dir));
    assertThat(Files.readString(CHECKED_IN))
        .as(
            "crds/ is stale: regenerate it with mvn -pl operator test-compile exec:java"
                + " -Dexec.classpathScope=test -Dexec.mainClass=dev.tinystatic.api.CrdGenerator"
                + " -Dexec.args=crds (from the repository root)")
        .isEqualTo(generated);
  }
}
