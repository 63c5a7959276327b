package dev.tinystatic.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.tinystatic.config.RegistryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bakes site images and pushes them to the operator's registry with Jib Core: no Docker daemon,
 * no base image pulled. A manifest the registry already holds is not pushed again.
 */
public final class SiteImageBaker {

  private static final Logger log = LoggerFactory.getLogger(SiteImageBaker.class);

  static {
    // Jib checks the manifest by digest and skips the push when the registry has it.
    System.setProperty("jib.skipExistingImages", "true");
  }

  private final String registry;
  private final boolean insecure;
  private final Path cache;

  /**
   * @param registry host[:port] of the registry pushed to
   * @param insecure whether plain HTTP (or unverified TLS) may be used
   * @param cache Jib's layer cache, kept between bakes so the server layer is compressed once
   */
  public SiteImageBaker(String registry, boolean insecure, Path cache) {
    this.registry = registry;
    this.insecure = insecure;
    this.cache = cache;
    if (insecure) {
      // Explicitly allowed plain-HTTP registries may also take credentials over HTTP.
      System.setProperty("sendCredentialsOverHttp", "true");
    }
  }

  /**
   * Pushes every bake even when the registry holds its manifest, so that a tag asked for is
   * always set. It switches a JVM-wide Jib setting: for one-shot processes such as
   * {@code tinystatic bake}, not for the operator (which wants no push for a known image).
   */
  public SiteImageBaker pushingKnownImages() {
    System.setProperty("jib.skipExistingImages", "false");
    return this;
  }

  /** A baker for the operator's registry. */
  public SiteImageBaker(RegistryConfig config, Path cache) {
    this(config.registry(), config.insecure(), cache);
  }

  /**
   * Bakes {@code image} and pushes it to {@code repository}, tagged {@code tag} (default: its
   * content hash).
   *
   * @param pullRepository the same repository as the nodes that run it name it
   * @param credential push credentials, or empty for an open registry
   * @throws BakeException naming the registry and what went wrong
   */
  public BakedImage bake(
      SiteImage image,
      String repository,
      Optional<String> tag,
      String pullRepository,
      Optional<Credential> credential)
      throws BakeException, InterruptedException {
    String target = repository + ":" + tag.orElseGet(() -> tagOf(image));
    try (WorkDir work = WorkDir.create("tinystatic-bake-")) {
      RegistryImage to = RegistryImage.named(target);
      credential.ifPresent(c -> to.addCredential(c.getUsername(), c.getPassword()));
      JibContainer pushed =
          image
              .builder(work.path())
              .containerize(
                  withCache(Containerizer.to(to), cache)
                      .setAllowInsecureRegistries(insecure)
                      .addEventHandler(LogEvent.class, e -> log.debug("jib: {}", e.getMessage())));
      String digest = pushed.getDigest().toString();
      BuildableManifestTemplate manifest = readManifest(repository, digest, credential);
      List<Long> layers = manifest.getLayers().stream().map(l -> l.getSize()).toList();
      long config = manifest.getContainerConfiguration().getSize();
      return new BakedImage(
          image.key(repository, pullRepository),
          digest,
          pullRepository + "@" + digest,
          config + layers.stream().mapToLong(Long::longValue).sum(),
          layers,
          pushed.isImagePushed());
    } catch (InvalidImageReferenceException e) {
      throw new BakeException("'" + target + "' is not a valid image reference: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new BakeException(describe(e), e);
    }
  }

  /**
   * Jib's layer cache, kept between bakes so the server layer is compressed once: under the
   * temporary directory (an emptyDir in the operator pod, whose root filesystem is read-only).
   */
  public static Path defaultCache() {
    return Path.of(System.getProperty("java.io.tmpdir"), "tinystatic-jib-cache");
  }

  /** A containerizer using the layer cache under {@code cache}, named as this tool. */
  static Containerizer withCache(Containerizer containerizer, Path cache) {
    return containerizer
        .setBaseImageLayersCache(cache.resolve("base"))
        .setApplicationLayersCache(cache.resolve("application"))
        .setToolName("tinystatic");
  }

  /** The tag pushed beside the digest, for people browsing the registry: the content hash. */
  public static String tagOf(SiteImage image) {
    return "content-" + image.content().hash().substring("sha256:".length(), "sha256:".length() + 16);
  }

  private BuildableManifestTemplate readManifest(
      String repository, String digest, Optional<Credential> credential) throws Exception {
    var http = new FailoverHttpClient(insecure, insecure, e -> {});
    try {
      String path = repository.substring(registry.length() + 1);
      RegistryClient client =
          RegistryClient.factory(EventHandlers.NONE, registry, path, http)
              .setCredential(credential.orElse(null))
              .newRegistryClient();
      if (!client.doPullBearerAuth() && credential.isPresent()) {
        client.configureBasicAuth();
      }
      var manifest = client.pullManifest(digest).getManifest();
      if (manifest instanceof BuildableManifestTemplate buildable) {
        return buildable;
      }
      throw new IOException("the registry returned an unexpected manifest type for " + digest);
    } finally {
      // Jib's client keeps every connection it opened until it is shut down.
      http.shutDown();
    }
  }

  /** The root cause, named with the registry: what the user reads in the site's condition. */
  private String describe(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String what = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    if (root instanceof java.net.ConnectException || root instanceof java.net.UnknownHostException) {
      what = "cannot connect (" + what + ")";
    }
    return "registry " + registry + ": " + what;
  }


  /** A bake or push that failed, with a message that names the registry. */
  public static final class BakeException extends Exception {
    BakeException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
