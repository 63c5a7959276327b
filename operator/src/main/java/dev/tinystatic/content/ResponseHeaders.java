package dev.tinystatic.content;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * spec.headers checked and merged with the secure defaults: the lines every response gets. Refused,
 * with reason {@code InvalidHeader}: names that are not HTTP tokens, values with CR, LF or other
 * control characters, hop-by-hop headers (a proxy drops them), what the server computes itself, and
 * Cache-Control (spec.cache sets it per file).
 */
public final class ResponseHeaders {

  /** On unless a site overrides or removes them (an empty value). */
  public static final Map<String, String> SECURE_DEFAULTS =
      Map.of(
          "X-Content-Type-Options", "nosniff",
          "Referrer-Policy", "strict-origin-when-cross-origin");

  /** RFC 9110 section 7.6.1 and the older ones proxies still drop. */
  static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  /** What tinyhttpd writes itself (server/README.md, "Headers file"). */
  static final Set<String> SERVER_COMPUTED =
      Set.of(
          "content-type",
          "content-length",
          "content-range",
          "content-encoding",
          "etag",
          "last-modified",
          "date",
          "accept-ranges",
          "vary",
          "location",
          "allow");

  private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

  private ResponseHeaders() {}

  /**
   * The header lines for every response, name to value, sorted by name: the defaults, replaced by
   * spec.headers of the same name (in any case), removed by an empty value.
   */
  public static Map<String, String> of(Map<String, String> spec) throws ContentProblem {
    Map<String, String> lines = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    lines.putAll(SECURE_DEFAULTS);
    Map<String, String> given = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (spec != null) {
      for (var header : new TreeMap<>(spec).entrySet()) {
        String name = header.getKey();
        String value = header.getValue() == null ? "" : header.getValue().strip();
        checkName(name);
        checkValue("spec.headers." + name, value, "InvalidHeader");
        if (given.put(name, value) != null) {
          throw new ContentProblem(
              "InvalidHeader",
              "spec.headers names '" + name + "' twice (header names ignore case); keep one");
        }
      }
    }
    for (var header : given.entrySet()) {
      lines.remove(header.getKey()); // the site's spelling of the name wins
      if (!header.getValue().isEmpty()) {
        lines.put(header.getKey(), header.getValue());
      }
    }
    return lines;
  }

  private static void checkName(String name) throws ContentProblem {
    if (name == null || name.isEmpty()) {
      throw new ContentProblem("InvalidHeader", "spec.headers has an empty header name");
    }
    for (char c : name.toCharArray()) {
      boolean token =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || TOKEN_CHARS.indexOf(c) >= 0;
      if (!token) {
        throw new ContentProblem(
            "InvalidHeader",
            "spec.headers: '"
                + printable(name)
                + "' is not a header name (letters, digits and !#$%&'*+-.^_`|~ only)");
      }
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (HOP_BY_HOP.contains(lower)) {
      throw new ContentProblem(
          "InvalidHeader",
          "spec.headers: "
              + name
              + " is a hop-by-hop header: proxies and ingress controllers drop it; remove it");
    }
    if (SERVER_COMPUTED.contains(lower)) {
      throw new ContentProblem(
          "InvalidHeader",
          "spec.headers: the server sets " + name + " itself, from each file; remove it");
    }
    if (lower.equals("cache-control")) {
      throw new ContentProblem(
          "InvalidHeader",
          "spec.headers: Cache-Control is set per file by spec.cache; use a rule such as"
              + " {match: \"**\", control: \"...\"}");
    }
  }

  /** Visible ASCII, spaces and tabs: no CR or LF (which would end the line), no other control. */
  static void checkValue(String field, String value, String reason) throws ContentProblem {
    for (char c : value.toCharArray()) {
      if (c == '\r' || c == '\n') {
        throw new ContentProblem(
            reason,
            field + ": the value holds a line break (CR or LF), which would end the header");
      }
      if ((c < 0x20 && c != '\t') || c >= 0x7f) {
        throw new ContentProblem(
            reason,
            field
                + String.format(
                    ": the value holds the character U+%04X; only visible ASCII, spaces and tabs",
                    (int) c));
      }
    }
  }

  private static String printable(String text) {
    return text.replace("\r", "\\r").replace("\n", "\\n");
  }
}
