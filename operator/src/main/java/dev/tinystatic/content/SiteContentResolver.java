package dev.tinystatic.content;

import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSiteSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a spec (and the ConfigMap it may reference) into validated {@link SiteContent}, or explains
 * with a {@link ContentProblem} why it cannot be served.
 */
public final class SiteContentResolver {

  /**
   * What the API server accepts in one ConfigMap (sum of its values), so the most inline content a
   * site can hold.
   */
  public static final long CONFIGMAP_LIMIT_BYTES = 1024 * 1024;

  private SiteContentResolver() {}

  /**
   * @param spec the site's spec
   * @param referenced the ConfigMap named by {@code spec.contentFrom.configMapRef}, when it exists
   *     (it must carry the label {@link SiteObjects#CONTENT_SELECTOR})
   */
  public static SiteContent resolve(TinyStaticSiteSpec spec, Optional<ConfigMap> referenced)
      throws ContentProblem {
    Map<String, String> origins = new HashMap<>();
    List<SiteFile> files = new ArrayList<>();
    for (var entry : sorted(spec.getFiles()).entrySet()) {
      claim(origins, entry.getKey(), "spec.files");
      files.add(SiteFile.text(entry.getKey(), entry.getValue() == null ? "" : entry.getValue()));
    }
    for (var entry : sorted(spec.getBinaryFiles()).entrySet()) {
      claim(origins, entry.getKey(), "spec.binaryFiles");
      files.add(SiteFile.binary(entry.getKey(), decodeBase64(entry.getKey(), entry.getValue())));
    }
    long inlineBytes = files.stream().mapToLong(f -> f.bytes().length).sum();
    if (inlineBytes > CONFIGMAP_LIMIT_BYTES) {
      throw new ContentProblem(
          "ContentTooLarge",
          String.format(
              "inline files hold %,d bytes but a ConfigMap holds at most %,d: move large files"
                  + " to a ConfigMap of their own (spec.contentFrom) or make them smaller",
              inlineBytes, CONFIGMAP_LIMIT_BYTES));
    }
    Optional<String> referencedName = spec.referencedConfigMapName();
    if (referencedName.isPresent()) {
      String name = referencedName.get();
      ConfigMap configMap =
          referenced.orElseThrow(
              () ->
                  new ContentProblem(
                      "ContentSourceMissing",
                      "ConfigMap '"
                          + name
                          + "' (spec.contentFrom.configMapRef) does not exist in"
                          + " the site's namespace; create and label it: kubectl create configmap "
                          + name
                          + " --from-file=DIR/ && "
                          + labelCommand(name)));
      if (!isLabelled(configMap)) {
        throw new ContentProblem(
            "ContentSourceNotLabelled",
            "ConfigMap '"
                + name
                + "' (spec.contentFrom.configMapRef) lacks the label "
                + SiteObjects.CONTENT_SELECTOR
                + " that lets the operator watch it: "
                + labelCommand(name));
      }
      files.addAll(referencedFiles(configMap, origins));
    }
    if (files.isEmpty()) {
      throw new ContentProblem(
          "NoContent",
          referencedName.isPresent()
              ? "ConfigMap '"
                  + referencedName.get()
                  + "' has no files, and the site has no"
                  + " inline files"
              : "the site has no files: set spec.files, spec.binaryFiles or spec.contentFrom");
    }
    checkFilesAreNotDirectories(origins);
    SiteServing serving = SiteServing.of(spec, files);
    // The headers file shares the content ConfigMap with the inline files.
    long stored = inlineBytes + serving.headersFile().length;
    if (stored > CONFIGMAP_LIMIT_BYTES) {
      throw new ContentProblem(
          "ContentTooLarge",
          String.format(
              "inline files hold %,d bytes and the server's headers file %,d, but a ConfigMap"
                  + " holds at most %,d: move large files to a ConfigMap of their own"
                  + " (spec.contentFrom) or make them smaller",
              inlineBytes, serving.headersFile().length, CONFIGMAP_LIMIT_BYTES));
    }
    return new SiteContent(files, referencedName, serving);
  }

  private static List<SiteFile> referencedFiles(ConfigMap configMap, Map<String, String> origins)
      throws ContentProblem {
    String origin = "ConfigMap '" + configMap.getMetadata().getName() + "'";
    List<SiteFile> files = new ArrayList<>();
    for (var entry : sorted(configMap.getData()).entrySet()) {
      claim(origins, entry.getKey(), origin);
      String text = entry.getValue() == null ? "" : entry.getValue();
      files.add(SiteFile.referenced(entry.getKey(), text.getBytes(StandardCharsets.UTF_8)));
    }
    for (var entry : sorted(configMap.getBinaryData()).entrySet()) {
      claim(origins, entry.getKey(), origin);
      files.add(
          SiteFile.referenced(entry.getKey(), decodeBase64(entry.getKey(), entry.getValue())));
    }
    return files;
  }

  private static boolean isLabelled(ConfigMap configMap) {
    var labels = configMap.getMetadata().getLabels();
    return labels != null && "true".equals(labels.get(SiteObjects.CONTENT_LABEL));
  }

  private static String labelCommand(String name) {
    return "kubectl label configmap " + name + " " + SiteObjects.CONTENT_SELECTOR;
  }

  /** Validates a path and records where it came from, refusing the same path twice. */
  private static void claim(Map<String, String> origins, String path, String origin)
      throws ContentProblem {
    SitePath.validate(path);
    String earlier = origins.putIfAbsent(path, origin);
    if (earlier != null) {
      throw new ContentProblem(
          "DuplicatePath",
          "file '" + path + "' is given twice, in " + earlier + " and in " + origin + "; keep one");
    }
  }

  /** {@code docs} and {@code docs/index.html} cannot both exist: one path cannot be both. */
  private static void checkFilesAreNotDirectories(Map<String, String> origins)
      throws ContentProblem {
    for (String path : origins.keySet()) {
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        String directory = path.substring(0, slash);
        if (origins.containsKey(directory)) {
          throw new ContentProblem(
              "PathConflict",
              "'" + directory + "' is a file, but '" + path + "' needs it to be a directory");
        }
      }
    }
  }

  private static byte[] decodeBase64(String path, String value) throws ContentProblem {
    try {
      // Line breaks are fine (YAML folds long values); anything else outside the alphabet is not.
      return Base64.getDecoder().decode(value == null ? "" : value.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new ContentProblem(
          "InvalidBase64", "binary file '" + path + "' is not valid base64: " + e.getMessage());
    }
  }

  private static <V> Map<String, V> sorted(Map<String, V> map) {
    return map == null ? Map.of() : new TreeMap<>(map);
  }
}
