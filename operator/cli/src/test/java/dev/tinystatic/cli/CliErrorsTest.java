package dev.tinystatic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gets one clear line and an exit code that says what kind of problem it is. */
class CliErrorsTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"serve", "render", "bake"})
  void everyCommandHasHelp(String command) {
    String out = MainTest.capture(() -> assertThat(Main.run(command, "--help")).isZero());
    assertThat(out).contains("Usage: tinystatic " + command).contains("Exit codes:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "operator"})
  void aFatalStartOfTheOperatorNamesTheCommand(String command) throws Exception {
    String[] args = command.isEmpty() ? new String[0] : new String[] {command};
    try (var cli = CliProcess.start(java.util.Map.of("TINYSTATIC_HEALTH_PORT", "80a"), args)) {
      assertThat(cli.waitFor()).isEqualTo(ExitCodes.FAILED);
      assertThat(cli.output())
          .isEqualTo(
              "tinystatic operator failed: TINYSTATIC_HEALTH_PORT: expected a port 0-65535, got"
                  + " '80a'");
    }
  }

  @Test
  void aMissingFileIsInvalidInput() {
    assertThat(error("render", dir.resolve("nope.yaml").toString()))
        .isEqualTo(
            "3 tinystatic render: " + dir.resolve("nope.yaml") + ": no such file or directory");
  }

  @Test
  void invalidYamlIsInvalidInput() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "kind: [unclosed\n");
    assertThat(error("render", file.toString()))
        .startsWith("3 tinystatic render: " + file + ": invalid YAML:");
  }

  @Test
  void aFileWithoutASiteIsInvalidInput() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    assertThat(error("render", file.toString()))
        .isEqualTo(
            "3 tinystatic render: " + file + ": holds no TinyStaticSite (kind: TinyStaticSite)");
  }

  @Test
  void anInvalidSiteGetsTheOperatorsOwnMessage() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("site.yaml"),
            """
            apiVersion: tinystatic.dev/v1alpha1
            kind: TinyStaticSite
            metadata: {name: bad}
            spec:
              files:
                a//b.html: x
            """);
    assertThat(error("serve", file.toString()))
        .isEqualTo(
            "3 tinystatic serve: "
                + file
                + ": InvalidPath: invalid file path 'a//b.html': it has an empty segment (//)");
  }

  @Test
  void aPortOutOfRangeIsRefusedWithTheSchemasLimit() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("site.yaml"),
            """
            apiVersion: tinystatic.dev/v1alpha1
            kind: TinyStaticSite
            metadata: {name: low}
            spec:
              port: 80
              files: {index.html: hi}
            """);
    assertThat(error("render", file.toString()))
        .isEqualTo("3 tinystatic render: " + file + ": spec.port is 80; it must be at least 1024");
  }

  @Test
  void aMissingReferencedConfigMapSaysWhereToPutIt() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("site.yaml"),
            """
            apiVersion: tinystatic.dev/v1alpha1
            kind: TinyStaticSite
            metadata: {name: docs}
            spec:
              contentFrom: {configMapRef: {name: docs-files}}
            """);
    assertThat(error("render", file.toString()))
        .contains("ContentSourceMissing")
        .contains("put the ConfigMap in the same file");
  }

  @Test
  void imageDeliveryWithoutARegistryIsExplained() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("site.yaml"),
            """
            apiVersion: tinystatic.dev/v1alpha1
            kind: TinyStaticSite
            metadata: {name: img}
            spec:
              delivery: Image
              files: {index.html: hi}
            """);
    assertThat(error("render", file.toString())).contains("needs a registry").startsWith("3 ");
  }

  @Test
  void aBadTargetIsInvalidInputAndAMissingOptionAUsageError() throws Exception {
    Path site = Path.of("..", "deploy", "examples", "hello.yaml");
    assertThat(error("bake", site.toString(), "--to", "UPPER/Case:!"))
        .startsWith("3 tinystatic bake: --to UPPER/Case:!");
    assertThat(error("bake", site.toString())).startsWith("2 Missing required option: '--to=");
  }

  /** "CODE first line of stderr". */
  private static String error(String... args) {
    int[] code = new int[1];
    String err = MainTest.captureErr(() -> code[0] = Main.run(args));
    return code[0] + " " + err.lines().findFirst().orElse("");
  }

  @Test
  void aDirectoryWithASymlinkIsRefusedAndVersionControlIsLeftOut() throws Exception {
    Path site = Files.createDirectories(dir.resolve("site"));
    Files.writeString(site.resolve("index.html"), "hi");
    Files.createDirectories(site.resolve(".git"));
    Files.writeString(site.resolve(".git/config"), "url = https://token@example");
    Files.createDirectories(site.resolve(".well-known"));
    Files.writeString(site.resolve(".well-known/security.txt"), "Contact: x");
    String out = MainTest.capture(() -> assertThat(Main.run("render", site.toString())).isZero());
    assertThat(out)
        .contains("index.html")
        .contains(".well-known_2fsecurity.txt")
        .doesNotContain("token");

    Files.createSymbolicLink(site.resolve("leak.txt"), Path.of("/etc/hostname"));
    assertThat(error("render", site.toString()))
        .isEqualTo(
            "3 tinystatic render: "
                + site.resolve("leak.txt")
                + " is a symbolic link; a site holds files"
                + " only (copy the file in, so that nothing from outside "
                + site
                + " is published)");
  }

  @Test
  void aDirectoryOverTheLimitIsToldWhy() throws Exception {
    Path site = Files.createDirectories(dir.resolve("big"));
    Files.write(site.resolve("a.bin"), new byte[1024 * 1024 + 1]);
    assertThat(error("render", site.toString()))
        .startsWith("3 tinystatic render: " + site + " (a directory): ContentTooLarge")
        .endsWith(
            "(a directory's files are a site's own files, which a cluster keeps in one ConfigMap)");
  }
}
