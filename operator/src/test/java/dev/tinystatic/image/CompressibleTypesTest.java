package dev.tinystatic.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /**
   * Extension to type, from mime.c's table: {@code "ext\0ext\0\1type\0"}, extensions then the type
   * they share after a {@code \1}.
   */
  static Map<String, String> served() throws Exception {
    String source = Files.readString(MIME_C);
    int start = source.indexOf("types[]");
    String table = source.substring(start, source.indexOf(";", start));
    StringBuilder text = new StringBuilder();
    Matcher literal = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(table);
    while (literal.find()) {
      text.append(literal.group(1));
    }
    Map<String, String> types = new LinkedHashMap<>();
    List<String> extensions = new ArrayList<>();
    for (String part : text.toString().split("\\\\0")) {
      if (part.startsWith("\\1")) {
        String type = part.substring(2);
        extensions.forEach(extension -> types.put(extension, type));
        extensions.clear();
      } else if (!part.isEmpty()) {
        extensions.add(part);
      }
    }
    assertThat(extensions).as("extensions without a type at the end of the table").isEmpty();
    return types;
  }
}
