package dev.tinystatic.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.server.OciImage;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bakes site images and pushes them to the operator's registry with Jib Core's registry client: no
 * Docker daemon, no base image pulled. A manifest the repository already holds is not pushed again,
 * and of a new one only the blobs the repository lacks are uploaded (an edit of a site uploads its
 * content layer and config; the server layer goes once to each site's repository).
 */
public final class SiteImageBaker {

  private static final Logger log = LoggerFactory.getLogger(SiteImageBaker.class);

  private final String registry;
  private final boolean insecure;
  private boolean pushKnownImages;

  /**
   * @param registry host[:port] of the registry pushed to
   * @param insecure whether plain HTTP (or unverified TLS) may be used, credentials included
   */
  public SiteImageBaker(String registry, boolean insecure) {
    this.registry = registry;
    this.insecure = insecure;
  }

  /** A baker for the operator's registry. */
  public SiteImageBaker(RegistryConfig config) {
    this(config.registry(), config.insecure());
  }

  /**
   * Pushes the manifest even when the registry holds it, so that a tag asked for is always set (for
   * {@code tinystatic bake}; the operator wants no push for a known image).
   */
  public SiteImageBaker pushingKnownImages() {
    pushKnownImages = true;
    return this;
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
    if (!repository.startsWith(registry + "/")) {
      throw new IllegalArgumentException(repository + " is not in registry " + registry);
    }
    OciImage oci = image.oci();
    // Its warnings are the HTTPS-to-HTTP fallbacks of a registry configured as insecure: expected.
    var http =
        new FailoverHttpClient(insecure, insecure, e -> log.debug("jib: {}", e.getMessage()));
    try {
      RegistryClient client =
          RegistryClient.factory(
                  EventHandlers.builder().add(LogEvent.class, this::logJib).build(),
                  registry,
                  repository.substring(registry.length() + 1),
                  http)
              .setCredential(credential.orElse(null))
              .newRegistryClient();
      if (!client.doPushBearerAuth() && credential.isPresent()) {
        client.configureBasicAuth();
      }
      boolean push = pushKnownImages || !hasManifest(client, oci.digest());
      if (push) {
        for (OciImage.Layer layer : oci.layers()) {
          upload(client, layer.digest(), layer.blob());
        }
        upload(client, oci.configDigest(), oci.config());
        client.pushManifest(oci.manifest(), tag.orElseGet(() -> tagOf(image)));
        // Pods pull by this digest: a registry that stored the manifest otherwise (rewritten,
        // converted) would leave them unable to pull while the push looked fine.
        if (!hasManifest(client, oci.digest())) {
          throw new IOException(
              "the registry does not serve the pushed manifest under its digest " + oci.digest());
        }
      }
      String digest = oci.digest().toString();
      return new BakedImage(
          image.key(repository, pullRepository),
          digest,
          pullRepository + "@" + digest,
          oci.size(),
          oci.layerSizes(),
          push);
    } catch (Exception e) {
      if (Thread.currentThread().isInterrupted()) {
        var interrupted = new InterruptedException("bake interrupted: " + e.getMessage());
        interrupted.initCause(e);
        throw interrupted;
      }
      throw new BakeException(describe(e), e);
    } finally {
      // Jib's client keeps every connection it opened until it is shut down.
      try {
        http.shutDown();
      } catch (IOException e) {
        log.debug("closing the registry connections: {}", e.getMessage());
      }
    }
  }

  /**
   * Whether the repository holds the manifest {@code digest}. Any 404 means no: Harbor answers
   * NOT_FOUND and OpenShift NAME_UNKNOWN (a new repository) where Jib expects MANIFEST_UNKNOWN.
   */
  private static boolean hasManifest(RegistryClient client, DescriptorDigest digest)
      throws Exception {
    try {
      return client.checkManifest(digest.toString()).isPresent();
    } catch (RegistryException e) {
      if (e.getCause() instanceof ResponseException response && response.getStatusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private void logJib(LogEvent event) {
    if (event.getLevel() == LogEvent.Level.WARN || event.getLevel() == LogEvent.Level.ERROR) {
      log.warn("registry {}: {}", registry, event.getMessage());
    } else {
      log.debug("jib: {}", event.getMessage());
    }
  }

  /** Uploads a blob unless the repository has it already. */
  private static void upload(RegistryClient client, DescriptorDigest digest, byte[] bytes)
      throws Exception {
    if (client.checkBlob(digest).isEmpty()) {
      client.pushBlob(digest, Blobs.from(out -> out.write(bytes), true), null, written -> {});
    }
  }

  /** The tag pushed beside the digest, for people browsing the registry: the content hash. */
  public static String tagOf(SiteImage image) {
    return "content-"
        + image.content().hash().substring("sha256:".length(), "sha256:".length() + 16);
  }

  /** The root cause, named with the registry: what the user reads in the site's condition. */
  private String describe(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String what = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    if (root instanceof java.net.ConnectException
        || root instanceof java.net.UnknownHostException) {
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
