package dev.tinystatic.content;

import java.util.regex.Pattern;

/**
 * A file's path inside a site (e.g. {@code css/site.css}): validation, and the encoding into a
 * ConfigMap key, which cannot hold {@code /} (one key per path: no two paths share a key).
 *
 * <p>Encoding: letters, digits, {@code .} and {@code -} stay; every other character becomes {@code
 * _xx} (its hex code), so {@code css/site.css} is stored under {@code css_2fsite.css}.
 */
public final class SitePath {

  /** Longest path accepted; its key stays within the ConfigMap key limit of 253 characters. */
  public static final int MAX_LENGTH = 200;

  private static final int MAX_KEY_LENGTH = 253;
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~+@,=-]+");
  private static final String HEX = "0123456789abcdef";

  private SitePath() {}

  /**
   * Checks that {@code path} is a clean relative path the server and a ConfigMap volume can both
   * hold, and explains what is wrong when it is not.
   */
  public static void validate(String path) throws ContentProblem {
    if (path == null || path.isEmpty()) {
      throw invalid(path, "it is empty");
    }
    if (path.length() > MAX_LENGTH) {
      throw invalid(path, "it is longer than " + MAX_LENGTH + " characters");
    }
    if (path.startsWith("/")) {
      throw invalid(path, "it must be relative (no leading /)");
    }
    if (path.endsWith("/")) {
      throw invalid(path, "it names a directory (trailing /); name a file");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) {
        throw invalid(path, "it has an empty segment (//)");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw invalid(path, "'.' and '..' segments are not allowed");
      }
      if (segment.startsWith("..")) {
        throw invalid(path, "segments may not start with '..' (reserved by Kubernetes volumes)");
      }
      if (!SEGMENT.matcher(segment).matches()) {
        throw invalid(
            path,
            "allowed characters are letters, digits and . _ ~ + @ , = - with / between"
                + " directories");
      }
    }
    if (toKey(path).length() > MAX_KEY_LENGTH) {
      throw invalid(path, "its ConfigMap key would exceed " + MAX_KEY_LENGTH + " characters");
    }
  }

  /** The ConfigMap key for a valid path. */
  public static String toKey(String path) {
    StringBuilder key = new StringBuilder(path.length() + 8);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (isKept(c)) {
        key.append(c);
      } else {
        key.append('_').append(HEX.charAt((c >> 4) & 0xf)).append(HEX.charAt(c & 0xf));
      }
    }
    return key.toString();
  }

  /** The path a key made by {@link #toKey} stands for. */
  public static String fromKey(String key) {
    StringBuilder path = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '_' && i + 2 < key.length()) {
        path.append((char) Integer.parseInt(key.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        path.append(c);
      }
    }
    return path.toString();
  }

  private static boolean isKept(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '-';
  }

  private static ContentProblem invalid(String path, String why) {
    return new ContentProblem("InvalidPath", "invalid file path '" + path + "': " + why);
  }
}
