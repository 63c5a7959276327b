package dev.tinystatic.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Credential;
import dev.tinystatic.config.RegistryConfig;
import dev.tinystatic.server.OciIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletes site images from the registry: the registry half of clean-up. The caller decides what to
 * delete (an image no kept revision references, after a grace period; every image of a deleted
 * site, from a finalizer with a time limit); this class only talks to the registry, with the
 * distribution API: {@code GET} the image by digest to learn its platform manifests, {@code DELETE}
 * each platform manifest by digest, then the index (in that order, so a clean-up cut short is
 * finished by the next one: the index still names what is left). Deleting a manifest also removes
 * the tags that point at it; the blobs stay until the registry's garbage collection.
 *
 * <p>Three outcomes are answers, not failures: {@link Deleted}, {@link AlreadyGone} (a 404: deleted
 * before, or never pushed) and {@link DeletesDisabled} (distribution answers {@code 405} with code
 * {@code UNSUPPORTED} unless {@code storage.delete.enabled}; retrying will not help, so report it
 * once). Anything else (the registry down, refusing credentials, a 5xx) throws a {@link
 * CleanupException} naming the registry, which is worth retrying later.
 *
 * <p>A platform manifest is deleted with its index. Two indexes in one repository share a platform
 * manifest only when the same content was baked for different platform sets (the operator always
 * bakes the same set; {@code tinystatic bake --platform} can); deleting one then breaks the other's
 * platform.
 */
public final class RegistryCleanup {

  /** What a delete came to. */
  public sealed interface Outcome {}

  /** The image was deleted: these manifests (platform manifests first, then the index). */
  public record Deleted(List<String> digests) implements Outcome {}

  /** The registry has no such image (any more). */
  public record AlreadyGone() implements Outcome {}

  /** The registry does not allow deletes; {@code message} says so and how to change it. */
  public record DeletesDisabled(String message) implements Outcome {}

  /** A delete or listing that failed; worth retrying later. */
  public static final class CleanupException extends Exception {
    CleanupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> MANIFEST_TYPES =
      List.of(
          OciIndex.MEDIA_TYPE,
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.docker.distribution.manifest.v2+json");

  private final String registry;
  private final boolean insecure;

  /**
   * @param registry host[:port]
   * @param insecure whether plain HTTP (or unverified TLS) may be used, credentials included
   */
  public RegistryCleanup(String registry, boolean insecure) {
    this.registry = registry;
    this.insecure = insecure;
  }

  /** Clean-up in the operator's registry. */
  public RegistryCleanup(RegistryConfig config) {
    this(config.registry(), config.insecure());
  }

  /**
   * Deletes the image {@code digest} (an index and its platform manifests, or a single manifest)
   * from {@code repository} ({@code host[:port]/path}, as pushed to).
   *
   * @param credential credentials allowed to delete there, or empty for an open registry
   * @throws CleanupException naming the registry, for a failure worth retrying
   */
  public Outcome delete(String repository, String digest, Optional<Credential> credential)
      throws CleanupException {
    String path = pathOf(repository);
    try (var api = new RegistryApi(registry, insecure, credential)) {
      var image = api.call("GET", path, "/manifests/" + digest, MANIFEST_TYPES, "pull,delete");
      if (image.status() == 404) {
        return new AlreadyGone();
      }
      expect(image, 200, "reading " + repository + "@" + digest);
      List<String> order = new ArrayList<>();
      for (JsonNode child : JSON.readTree(image.body()).path("manifests")) {
        order.add(child.path("digest").asText());
      }
      order.add(digest);
      List<String> deleted = new ArrayList<>();
      for (String manifest : order) {
        var answer = api.call("DELETE", path, "/manifests/" + manifest, List.of(), "pull,delete");
        if (answer.status() == 405) {
          return new DeletesDisabled(
              "registry "
                  + registry
                  + " does not allow deleting images (405 "
                  + (answer.errorCode().isEmpty() ? "Method Not Allowed" : answer.errorCode())
                  + "); enable deletes there (distribution: storage.delete.enabled: true)");
        }
        if (answer.status() != 404) {
          expect(answer, 202, "deleting " + repository + "@" + manifest);
          deleted.add(manifest);
        }
      }
      return deleted.isEmpty() ? new AlreadyGone() : new Deleted(deleted);
    } catch (IOException e) {
      throw new CleanupException("registry " + registry + ": " + RegistryApi.describe(e), e);
    }
  }

  /**
   * The tags of {@code repository} ({@code host[:port]/path}), every page of them; none for a
   * repository the registry does not know.
   *
   * @throws CleanupException naming the registry
   */
  public List<String> tags(String repository, Optional<Credential> credential)
      throws CleanupException {
    String path = pathOf(repository);
    List<String> tags = new ArrayList<>();
    try (var api = new RegistryApi(registry, insecure, credential)) {
      String last = null;
      while (true) {
        String page = "/tags/list?n=1000" + (last == null ? "" : "&last=" + last);
        var answer = api.call("GET", path, page, List.of("application/json"), "pull");
        if (answer.status() == 404) {
          return tags; // NAME_UNKNOWN: nothing was ever pushed there
        }
        expect(answer, 200, "listing the tags of " + repository);
        int before = tags.size();
        JSON.readTree(answer.body()).path("tags").forEach(t -> tags.add(t.asText()));
        if (tags.size() - before < 1000) {
          return tags;
        }
        last = tags.get(tags.size() - 1);
      }
    } catch (IOException e) {
      throw new CleanupException("registry " + registry + ": " + RegistryApi.describe(e), e);
    }
  }

  private static void expect(RegistryApi.Answer answer, int status, String what)
      throws IOException {
    if (answer.status() != status) {
      String code = answer.errorCode();
      throw new IOException(
          what + " answered " + answer.status() + (code.isEmpty() ? "" : " " + code));
    }
  }

  private String pathOf(String repository) {
    if (!repository.startsWith(registry + "/")) {
      throw new IllegalArgumentException(repository + " is not in registry " + registry);
    }
    return repository.substring(registry.length() + 1);
  }
}
