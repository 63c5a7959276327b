package dev.tinystatic.content;

import dev.tinystatic.api.CacheRule;
import dev.tinystatic.api.TinyStaticSiteSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How the server answers for a site, decided here and handed to tinyhttpd as it is: the headers
 * file ({@code -m}), the 404 page ({@code -n}) and the SPA fallback ({@code -s}). The same for both
 * deliveries, {@code serve} and {@code render}.
 *
 * @param headersFile the {@code -m} file (server/README.md, "Headers file"): every response's
 *     lines, then one group per Cache-Control, the largest one as "/" (files not listed)
 * @param notFound the {@code -n} page, a site path
 * @param spa whether client-side routes fall back to {@link #SPA_PAGE}
 */
public record SiteServing(byte[] headersFile, Optional<String> notFound, boolean spa) {

  /** The most the server reads ({@code -m}: 16 KiB at most, else it will not start). */
  public static final int HEADERS_FILE_LIMIT = 16 * 1024;

  public static final String SPA_PAGE = "index.html";

  /**
   * Where pods find the headers file: outside the docroot, so it is never served (a ConfigMap
   * volume there, or a file of the site's image).
   */
  public static final String HEADERS_DIRECTORY = "/tinystatic";

  public static final String HEADERS_FILE_NAME = "headers";
  public static final String HEADERS_PATH = HEADERS_DIRECTORY + "/" + HEADERS_FILE_NAME;

  /**
   * The headers file's key in the content ConfigMap: no site path encodes to it ({@link
   * SitePath#toKey} writes '_' only before two hex digits).
   */
  public static final String CONFIGMAP_KEY = "_headers";

  public static final String NO_CACHE = "no-cache";
  public static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /**
   * @param files the site's files (every path it serves)
   */
  public static SiteServing of(TinyStaticSiteSpec spec, List<SiteFile> files)
      throws ContentProblem {
    Set<String> paths = files.stream().map(SiteFile::path).collect(Collectors.toSet());
    Optional<String> notFound =
        Optional.ofNullable(spec.getNotFound())
            .filter(page -> !page.isBlank())
            .map(page -> page.startsWith("/") ? page.substring(1) : page);
    if (notFound.isPresent() && !paths.contains(notFound.get())) {
      throw new ContentProblem(
          "NotFoundPageMissing",
          "spec.notFound names '"
              + notFound.get()
              + "', which is not one of the site's files; add it or fix the name");
    }
    boolean spa = Boolean.TRUE.equals(spec.getSpa());
    if (spa && !paths.contains(SPA_PAGE)) {
      throw new ContentProblem(
          "SpaPageMissing",
          "spec.spa sends client-side routes to " + SPA_PAGE + ", which the site does not have");
    }
    List<Rule> rules = new ArrayList<>();
    List<CacheRule> cache = spec.getCache() == null ? List.of() : spec.getCache();
    for (int i = 0; i < cache.size(); i++) {
      CacheRule rule = cache.get(i);
      String field = "spec.cache[" + i + "]";
      if (rule == null) {
        throw new ContentProblem("InvalidCacheRule", field + " is empty");
      }
      CacheGlob glob = CacheGlob.of(rule.getMatch(), field + ".match");
      String control = rule.getControl() == null ? "" : rule.getControl().strip();
      if (control.isEmpty()) {
        throw new ContentProblem("InvalidCacheRule", field + ".control is empty");
      }
      ResponseHeaders.checkValue(field + ".control", control, "InvalidCacheRule");
      rules.add(new Rule(glob, control));
    }
    byte[] file = headersFile(ResponseHeaders.of(spec.getHeaders()), paths, rules);
    if (file.length > HEADERS_FILE_LIMIT) {
      long listed =
          file.length == 0 ? 0 : headersTextLines(file).filter(l -> l.startsWith("/")).count() - 1;
      throw new ContentProblem(
          "HeadersTooLarge",
          String.format(
              "the server's headers file would be %,d bytes, over its limit of %,d: %,d files"
                  + " need a Cache-Control other than the most common one, and each is listed;"
                  + " give more of them one policy with spec.cache (e.g. {match: \"**\","
                  + " control: \"no-cache\"} after the rules you keep)",
              file.length, HEADERS_FILE_LIMIT, listed));
    }
    return new SiteServing(file, notFound, spa);
  }

  /** The defaults, for content that has no spec (tools and tests). */
  public static SiteServing defaults(List<SiteFile> files) {
    try {
      return of(new TinyStaticSiteSpec(), files);
    } catch (ContentProblem problem) {
      throw new IllegalArgumentException(problem.getMessage(), problem);
    }
  }

  /** The server's arguments besides port and docroot, with the headers file at {@code path}. */
  public List<String> args(String headersFilePath) {
    List<String> args = new ArrayList<>(List.of("-m", headersFilePath));
    notFound.ifPresent(page -> args.addAll(List.of("-n", page)));
    if (spa) {
      args.addAll(List.of("-s", SPA_PAGE));
    }
    return args;
  }

  private static java.util.stream.Stream<String> headersTextLines(byte[] file) {
    return new String(file, StandardCharsets.US_ASCII).lines();
  }

  public String headersText() {
    return new String(headersFile, StandardCharsets.US_ASCII);
  }

  /** The Cache-Control of one file: the first rule that matches, else the default. */
  static String cacheControl(String path, List<Rule> rules) {
    for (Rule rule : rules) {
      if (rule.glob().matches(path)) {
        return rule.control();
      }
    }
    return Fingerprint.in(path) ? IMMUTABLE : NO_CACHE;
  }

  /**
   * Files of the same Cache-Control share one group, so the file grows with the files whose policy
   * differs from the most common one, not with the site.
   */
  private static byte[] headersFile(
      Map<String, String> everyResponse, Set<String> paths, List<Rule> rules) {
    Map<String, List<String>> groups = new TreeMap<>();
    paths.stream()
        .sorted()
        .forEach(
            path ->
                groups
                    .computeIfAbsent(cacheControl(path, rules), c -> new ArrayList<>())
                    .add(path));
    // The group whose path lines would take the most bytes is "/", the files not listed.
    Optional<String> fallback =
        groups.entrySet().stream()
            .max(
                Comparator.<Map.Entry<String, List<String>>>comparingLong(
                        g -> g.getValue().stream().mapToLong(p -> p.length() + 3).sum())
                    .thenComparing(g -> g.getKey().equals(NO_CACHE)))
            .map(Map.Entry::getKey);
    var out = new ByteArrayOutputStream();
    everyResponse.forEach((name, value) -> line(out, name + ": " + value));
    Map<String, List<String>> ordered = new LinkedHashMap<>(groups);
    fallback.ifPresent(ordered::remove);
    ordered.forEach(
        (control, files) -> {
          files.forEach(path -> line(out, "/" + path));
          line(out, "Cache-Control: " + control);
        });
    // Last: a file listed above wins over "/" wherever the server meets it.
    line(out, "/");
    line(out, "Cache-Control: " + fallback.orElse(NO_CACHE));
    return out.toByteArray();
  }

  private static void line(ByteArrayOutputStream out, String line) {
    out.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  record Rule(CacheGlob glob, String control) {}

  @Override
  public boolean equals(Object other) {
    return other instanceof SiteServing that
        && Arrays.equals(headersFile, that.headersFile)
        && notFound.equals(that.notFound)
        && spa == that.spa;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(headersFile) * 31 + notFound.hashCode() * 7 + Boolean.hashCode(spa);
  }

  @Override
  public String toString() {
    return "SiteServing[" + headersText().replace("\r\n", "|") + ", " + notFound + ", " + spa + "]";
  }
}
