package dev.tinystatic.content;

import java.util.regex.Pattern;

/**
 * A spec.cache glob over file paths: {@code *} within a directory, {@code **} across directories,
 * {@code ?} one character; a glob without {@code /} matches the file name in any directory (like
 * .gitignore), so {@code *.html} covers {@code docs/index.html}.
 */
public final class CacheGlob {

  private final String glob;
  private final Pattern pattern;

  private CacheGlob(String glob, Pattern pattern) {
    this.glob = glob;
    this.pattern = pattern;
  }

  /**
   * @param field where the glob is, for the message
   */
  public static CacheGlob of(String glob, String field) throws ContentProblem {
    if (glob == null || glob.isBlank()) {
      throw invalid(field, glob, "it is empty");
    }
    String relative = glob.startsWith("/") ? glob.substring(1) : glob;
    for (char c : relative.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        throw invalid(field, glob, "it holds a control character");
      }
      if ("[]{}\\".indexOf(c) >= 0) {
        throw invalid(field, glob, "'" + c + "' is not supported (only * ** ?)");
      }
    }
    if (relative.isEmpty() || relative.contains("//")) {
      throw invalid(field, glob, "it has an empty segment");
    }
    StringBuilder regex = new StringBuilder(relative.contains("/") ? "" : "(?:.*/)?");
    String[] segments = relative.split("/", -1);
    for (int s = 0; s < segments.length; s++) {
      String segment = segments[s];
      boolean last = s == segments.length - 1;
      if (segment.equals(".") || segment.equals("..")) {
        throw invalid(field, glob, "'.' and '..' segments never match a file");
      }
      if (segment.equals("**")) {
        regex.append(last ? ".*" : "(?:[^/]+/)*");
        continue;
      }
      if (segment.contains("**")) {
        throw invalid(field, glob, "** must be a whole segment (assets/**, **/*.js)");
      }
      for (char c : segment.toCharArray()) {
        switch (c) {
          case '*' -> regex.append("[^/]*");
          case '?' -> regex.append("[^/]");
          default -> regex.append(Pattern.quote(String.valueOf(c)));
        }
      }
      if (!last) {
        regex.append('/');
      }
    }
    return new CacheGlob(glob, Pattern.compile(regex.toString()));
  }

  /** Whether the site path (relative, e.g. {@code assets/app.js}) matches. */
  public boolean matches(String path) {
    return pattern.matcher(path).matches();
  }

  @Override
  public String toString() {
    return glob;
  }

  private static ContentProblem invalid(String field, String glob, String why) {
    return new ContentProblem(
        "InvalidCacheRule", field + ": the glob '" + glob + "' is not valid: " + why);
  }
}
