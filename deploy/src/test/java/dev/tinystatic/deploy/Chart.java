package dev.tinystatic.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chart in {@code deploy/helm/tinystatic}, rendered by the real Helm library (helm-java) and
 * parsed into Fabric8 objects.
 */
final class Chart {

  /**
   * The {@code deploy/} module: the working directory of its tests, but the repository root for
   * {@code mvn -pl deploy exec:java} (which runs inside Maven).
   */
  static final Path DEPLOY = Files.isDirectory(Path.of("helm")) ? Path.of(".") : Path.of("deploy");

  static final Path DIR = DEPLOY.resolve("helm").resolve("tinystatic");
  static final Path REPOSITORY_CRD =
      DEPLOY
          .resolve("..")
          .resolve("crds")
          .resolve("tinystaticsites.tinystatic.dev-v1.yml")
          .normalize();
  static final Path CHART_CRD = DIR.resolve("crds").resolve(REPOSITORY_CRD.getFileName());

  static final String RELEASE = "tinystatic";
  static final String NAMESPACE = "tinystatic-system";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final Map<String, Object> values = new LinkedHashMap<>();
  private Path valuesFile;
  private String release = RELEASE;
  private String namespace = NAMESPACE;

  static Chart withDefaults() {
    return new Chart();
  }

  /** A value as on Helm's command line ({@code --set key=value}, lists as {@code {a,b}}). */
  Chart set(String key, Object value) {
    values.put(key, value);
    return this;
  }

  /**
   * A list value. helm-java escapes braces and commas in {@link #set} values (so {@code {a,b}}
   * stays a string): lists go in item by item ({@code key[0]=a}).
   */
  Chart setList(String key, String... items) {
    for (int i = 0; i < items.length; i++) {
      values.put(key + "[" + i + "]", items[i]);
    }
    return this;
  }

  Chart valuesFile(Path file) {
    this.valuesFile = file;
    return this;
  }

  Chart release(String release, String namespace) {
    this.release = release;
    this.namespace = namespace;
    return this;
  }

  static Helm helm() {
    try {
      // helm-java unpacks its native library into java.io.tmpdir: it has to exist.
      Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Helm(DIR);
  }

  /** The YAML {@code helm template} prints (templates only: Helm leaves crds/ out of it). */
  String renderYaml() {
    TemplateCommand template = helm().template().withName(release).withNamespace(namespace);
    values.forEach(template::set);
    if (valuesFile != null) {
      template.withValuesFile(valuesFile);
    }
    return template.call();
  }

  Rendered render() {
    return new Rendered(parse(renderYaml()));
  }

  /** Every object of a (multi-document) YAML text. */
  static List<HasMetadata> parse(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(yaml);
    List<HasMetadata> objects = new ArrayList<>();
    if (parsed instanceof List<?> list) {
      list.forEach(o -> objects.add((HasMetadata) o));
    } else if (parsed != null) {
      objects.add((HasMetadata) parsed);
    }
    return objects;
  }
}
