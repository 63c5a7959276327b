package dev.tinystatic.testing;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.RegistryClient;
import dev.tinystatic.server.OciImage;

/**
 * Pushes an image built in memory to a registry with Jib's registry client (open registries only:
 * what the end-to-end tests use to hand the generic server image to a cluster's nodes).
 */
public final class ImagePush {

  private ImagePush() {}

  /**
   * Pushes {@code image} to {@code registry/repository:tag} and returns its digest.
   *
   * @param registry {@code host[:port]}, or {@code host[:port]/path} (the path prefixes the
   *     repository)
   */
  public static String push(
      OciImage image, String registry, String repository, String tag, boolean insecure) {
    int slash = registry.indexOf('/');
    String host = slash < 0 ? registry : registry.substring(0, slash);
    String repo = slash < 0 ? repository : registry.substring(slash + 1) + "/" + repository;
    var http = new FailoverHttpClient(insecure, insecure, event -> {});
    try {
      RegistryClient client =
          RegistryClient.factory(EventHandlers.NONE, host, repo, http).newRegistryClient();
      client.doPushBearerAuth();
      for (OciImage.Layer layer : image.layers()) {
        upload(client, layer.digest(), layer.blob());
      }
      upload(client, image.configDigest(), image.config());
      client.pushManifest(image.manifest(), tag);
      return image.digest().toString();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot push the image to " + host + "/" + repo + ": " + e.getMessage(), e);
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
