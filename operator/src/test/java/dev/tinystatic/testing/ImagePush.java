package dev.tinystatic.testing;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.tinystatic.server.OciImage;
import dev.tinystatic.server.OciIndex;

/**
 * Pushes an image built in memory to a registry with Jib's registry client (open registries only:
 * what the end-to-end tests use to hand the generic server image to a cluster's nodes).
 */
public final class ImagePush {

  private ImagePush() {}

  /**
   * Pushes {@code index} (every platform's image, then the index) to {@code
   * registry/repository:tag} and returns the index digest, which nodes of every platform pull.
   */
  public static String push(
      OciIndex index, String registry, String repository, String tag, boolean insecure) {
    for (OciImage image : index.images()) {
      push(image, registry, repository, image.digest().toString().replace(':', '-'), insecure);
    }
    return withClient(
        registry,
        repository,
        insecure,
        client -> {
          client.pushManifest(index.template(), tag);
          return index.digest().toString();
        });
  }

  /**
   * Pushes {@code image} to {@code registry/repository:tag} and returns its digest.
   *
   * @param registry {@code host[:port]}, or {@code host[:port]/path} (the path prefixes the
   *     repository)
   */
  public static String push(
      OciImage image, String registry, String repository, String tag, boolean insecure) {
    return withClient(
        registry,
        repository,
        insecure,
        client -> {
          for (OciImage.Layer layer : image.layers()) {
            upload(client, layer.digest(), layer.blob());
          }
          upload(client, image.configDigest(), image.config());
          client.pushManifest(image.manifest(), tag);
          return image.digest().toString();
        });
  }

  private interface Push {
    String with(RegistryClient client) throws Exception;
  }

  private static String withClient(
      String registry, String repository, boolean insecure, Push push) {
    int slash = registry.indexOf('/');
    String host = slash < 0 ? registry : registry.substring(0, slash);
    String repo = slash < 0 ? repository : registry.substring(slash + 1) + "/" + repository;
    var http = new FailoverHttpClient(insecure, insecure, event -> {});
    try {
      RegistryClient client =
          RegistryClient.factory(EventHandlers.NONE, host, repo, http).newRegistryClient();
      client.doPushBearerAuth();
      return push.with(client);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot push to " + host + "/" + repo + ": " + e.getMessage(), e);
    } finally {
      try {
        http.shutDown();
      } catch (java.io.IOException ignored) {
        // connections closing
      }
    }
  }

  private static void upload(RegistryClient client, DescriptorDigest digest, byte[] bytes)
      throws Exception {
    if (client.checkBlob(digest).isEmpty()) {
      client.pushBlob(digest, Blobs.from(out -> out.write(bytes), true), null, written -> {});
    }
  }
}
