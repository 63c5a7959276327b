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
import dev.tinystatic.server.OciIndex;
import dev.tinystatic.server.ServerImage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bakes site images and pushes them to the operator's registry with Jib Core's registry client: no
 * Docker daemon, no base image pulled. An image is an OCI index with one image per platform; an
 * index the repository already holds is not pushed again, and of a new one only the blobs the
 * repository lacks are sent (an edit of a site uploads its content layer and configs).
 *
 * <p>Blobs are per repository, so a new site's repository lacks the server layers. With a {@link
 * #mountingServerLayersFrom server repository}, the baker pushes the generic server image there
 * once per process and every site push then asks the registry to mount the server layers from it
 * ({@code POST /v2/<repo>/blobs/uploads/?mount=<digest>&from=<server repository>}) instead of
 * uploading them; a registry that refuses (no mount support, no access, the layer gone) answers
 * with an ordinary upload, which the push then makes.
 */
public final class SiteImageBaker {

  /** The repository under the push prefix that holds the generic server image. */
  public static final String SERVER_REPOSITORY = "tinystatic-server";

  private static final Logger log = LoggerFactory.getLogger(SiteImageBaker.class);
  private static final Duration RESEED_AFTER = Duration.ofMinutes(5);

  private final String registry;
  private final boolean insecure;
  private boolean pushKnownImages;
  private String serverRepository; // path in the registry; null: no mounts
  private boolean seeded;
  private Instant seedAgainAt = Instant.MIN;

  /**
   * @param registry host[:port] of the registry pushed to
   * @param insecure whether plain HTTP (or unverified TLS) may be used, credentials included
   */
  public SiteImageBaker(String registry, boolean insecure) {
    this.registry = registry;
    this.insecure = insecure;
  }

  /**
   * A baker for the operator's registry, mounting server layers from {@code
   * PREFIX/tinystatic-server}.
   */
  public SiteImageBaker(RegistryConfig config) {
    this(config.registry(), config.insecure());
    mountingServerLayersFrom(config.pushPrefix() + "/" + SERVER_REPOSITORY);
  }

  /**
   * Pushes the index even when the registry holds it, so that a tag asked for is always set (for
   * {@code tinystatic bake}; the operator wants no push for a known image).
   */
  public SiteImageBaker pushingKnownImages() {
    pushKnownImages = true;
    return this;
  }

  /**
   * Seeds {@code repository} (in this registry) with the generic server image and mounts the server
   * layers of every site push from there.
   */
  public SiteImageBaker mountingServerLayersFrom(String repository) {
    serverRepository = pathOf(repository);
    return this;
  }

  /**
   * Bakes {@code image} and pushes it to {@code repository}, the index tagged {@code tag} (default:
   * its content hash): each platform's blobs the repository lacks, each platform's manifest, then
   * the index; then checks that the registry serves the index under its digest.
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
    String path = pathOf(repository);
    OciIndex index = image.index();
    // Its warnings are the HTTPS-to-HTTP fallbacks of a registry configured as insecure: expected.
    var http =
        new FailoverHttpClient(insecure, insecure, e -> log.debug("jib: {}", e.getMessage()));
    try {
      boolean push = pushKnownImages;
      long uploaded = 0;
      RegistryClient client = client(http, path, serverRepository, credential);
      if (!push && !hasManifest(client, index.digest())) {
        push = true;
      }
      if (push) {
        uploaded =
            push(client, index, tag.orElseGet(() -> tagOf(image)), mountSource(http, credential));
      }
      return BakedImage.of(
          image.key(repository, pullRepository), index, pullRepository, push, uploaded);
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
   * Pushes {@code index}: every platform's blobs the repository lacks (server layers mounted from
   * {@code mountFrom} when given), manifests by digest, the index under {@code tag}. Returns the
   * bytes sent.
   */
  private static long push(
      RegistryClient client, OciIndex index, String tag, Optional<String> mountFrom)
      throws Exception {
    long uploaded = 0;
    Set<DescriptorDigest> present = new HashSet<>();
    for (OciImage image : index.images()) {
      for (int i = 0; i < image.layers().size(); i++) {
        OciImage.Layer layer = image.layers().get(i);
        // layer 1 is the server's, which the server repository holds
        Optional<String> from = i == 0 ? mountFrom : Optional.empty();
        uploaded += upload(client, layer.digest(), layer.blob(), from, present);
      }
      uploaded += upload(client, image.configDigest(), image.config(), Optional.empty(), present);
      client.pushManifest(image.manifest(), image.digest().toString());
      uploaded += image.manifestBytes().length;
    }
    client.pushManifest(index.template(), tag);
    uploaded += index.bytes().length;
    // Pods pull by this digest: a registry that stored the index otherwise (rewritten, converted)
    // would leave them unable to pull while the push looked fine.
    if (!hasManifest(client, index.digest())) {
      throw new IOException(
          "the registry does not serve the pushed index under its digest " + index.digest());
    }
    return uploaded;
  }

  /**
   * Uploads a blob unless the repository has it already or it can be mounted from {@code from};
   * returns the bytes uploaded.
   */
  private static long upload(
      RegistryClient client,
      DescriptorDigest digest,
      byte[] bytes,
      Optional<String> from,
      Set<DescriptorDigest> present)
      throws Exception {
    if (!present.add(digest) || client.checkBlob(digest).isPresent()) {
      return 0;
    }
    boolean mounted =
        client.pushBlob(
            digest, Blobs.from(out -> out.write(bytes), true), from.orElse(null), n -> {});
    return mounted ? 0 : bytes.length;
  }

  /**
   * The repository to mount server layers from, after seeding it with the generic server image once
   * per process. A seed that fails is logged and tried again after a while; the mount is asked for
   * anyway, as the registry answers a mount it cannot make with an upload.
   */
  private synchronized Optional<String> mountSource(
      FailoverHttpClient http, Optional<Credential> credential) {
    if (serverRepository == null) {
      return Optional.empty();
    }
    if (!seeded && Instant.now().isAfter(seedAgainAt)) {
      OciIndex server = ServerImage.generic();
      try {
        RegistryClient client = client(http, serverRepository, null, credential);
        if (!hasManifest(client, server.digest())) {
          push(
              client,
              server,
              "server-" + server.digest().getHash().substring(0, 16),
              Optional.empty());
        }
        seeded = true;
      } catch (Exception e) {
        seedAgainAt = Instant.now().plus(RESEED_AFTER);
        log.warn(
            "{}: cannot push the server image to {}, so each new site repository uploads the"
                + " server layer itself; trying again in {} minutes",
            describe(e),
            serverRepository,
            RESEED_AFTER.toMinutes());
      }
    }
    return Optional.of(serverRepository);
  }

  private RegistryClient client(
      FailoverHttpClient http, String path, String mountFrom, Optional<Credential> credential)
      throws IOException, RegistryException {
    EventHandlers events = EventHandlers.builder().add(LogEvent.class, this::logJib).build();
    // with a source repository the token asked for also grants pulling from it, for the mount
    RegistryClient client =
        (mountFrom == null || mountFrom.equals(path)
                ? RegistryClient.factory(events, registry, path, http)
                : RegistryClient.factory(events, registry, path, mountFrom, http))
            .setCredential(credential.orElse(null))
            .newRegistryClient();
    if (!client.doPushBearerAuth() && credential.isPresent()) {
      client.configureBasicAuth();
    }
    return client;
  }

  /** {@code registry/a/b} is repository {@code a/b} of this registry. */
  private String pathOf(String repository) {
    if (!repository.startsWith(registry + "/")) {
      throw new IllegalArgumentException(repository + " is not in registry " + registry);
    }
    return repository.substring(registry.length() + 1);
  }

  /**
   * Whether the repository holds the manifest or index {@code digest}. Any 404 means no: Harbor
   * answers NOT_FOUND and OpenShift NAME_UNKNOWN (a new repository) where Jib expects
   * MANIFEST_UNKNOWN.
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

  /** The tag pushed beside the digest, for people browsing the registry: the content hash. */
  public static String tagOf(SiteImage image) {
    return "content-"
        + image.content().hash().substring("sha256:".length(), "sha256:".length() + 16);
  }

  /** The root cause, named with the registry: what the user reads in the site's condition. */
  private String describe(Exception e) {
    return "registry " + registry + ": " + RegistryApi.describe(e);
  }

  /** A bake or push that failed, with a message that names the registry. */
  public static final class BakeException extends Exception {
    BakeException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
