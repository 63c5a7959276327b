package dev.tinystatic.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Gzip twins are made for exactly the types the server sends as text-like: its {@code mime.c} table
 * is the source of truth for what it serves (any other extension goes out as
 * application/octet-stream, which a browser downloads whatever its encoding).
 */
class CompressibleTypesTest {

  static final Path MIME_C = Path.of("..", "server", "src", "main", "c", "mime.c");

  /** Types that compress well; images other than SVG and icons, fonts and PDF are compressed. */
  static boolean compressible(String type) {
    return type.startsWith("text/")
        || List.of(
                "application/json",
                "application/xml",
                "application/wasm",
                "image/svg+xml",
                "image/x-icon")
            .contains(type);
  }

  @Test
  void everyCompressibleExtensionIsOneTheServerServesWithItsType() throws Exception {
    assertThat(served().keySet()).containsAll(GzipTwins.COMPRESSIBLE);
  }

  @Test
  void everyTextLikeTypeTheServerServesGetsTwins() throws Exception {
    var served = served();
    assertThat(served).hasSizeGreaterThan(10);
    served.forEach(
        (extension, type) ->
            assertThat(GzipTwins.isCompressible("file." + extension))
                .as(extension + " is served as " + type)
                .isEqualTo(compressible(type)));
  }

  /** Extension to type, from the {@code "ext\0type\0"} pairs of mime.c's table. */
  static Map<String, String> served() throws Exception {
    String source = Files.readString(MIME_C);
    int start = source.indexOf("types[]");
    String table = source.substring(start, source.indexOf(";", start));
    StringBuilder pairs = new StringBuilder();
    Matcher literal = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(table);
    while (literal.find()) {
      pairs.append(literal.group(1));
    }
    String[] parts = pairs.toString().split("\\\\0");
    Map<String, String> types = new LinkedHashMap<>();
    for (int i = 0; i + 1 < parts.length; i += 2) {
      types.put(parts[i], parts[i + 1]);
    }
    return types;
  }
}
