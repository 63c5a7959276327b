package dev.tinystatic.content;

import java.util.regex.Pattern;

/**
 * Whether a file name carries a content fingerprint (then its bytes never change under that name,
 * and caches may keep it for a year): a segment of 8 or more hex or base36 characters between dots
 * ({@code app.3f9a1c2b.js}) or after a dash ({@code main-BX3kq9a1.css}). To keep words such as
 * {@code jquery.something.js} or {@code site-overview.css} out, a segment that is not all hex must
 * hold a digit or both cases, as build tools' hashes do.
 */
public final class Fingerprint {

  private static final Pattern SEGMENT =
      Pattern.compile("(?:\\.([0-9A-Za-z]{8,})(?=\\.)|-([0-9A-Za-z]{8,})(?=\\.|$))");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

  private Fingerprint() {}

  /**
   * @param path a site path; only its last segment (the file name) counts
   */
  public static boolean in(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    var matcher = SEGMENT.matcher(name);
    while (matcher.find()) {
      String segment = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      if (HEX.matcher(segment).matches()
          || segment.chars().anyMatch(Character::isDigit)
          || (!segment.equals(segment.toLowerCase()) && !segment.equals(segment.toUpperCase()))) {
        return true;
      }
    }
    return false;
  }
}
