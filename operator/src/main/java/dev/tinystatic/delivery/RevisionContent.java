package dev.tinystatic.delivery;

import dev.tinystatic.content.SiteContent;
import dev.tinystatic.content.SitePath;
import dev.tinystatic.content.SiteServing;
import java.util.Map;
import java.util.TreeMap;

/**
 * Atomic rollout with ConfigMap delivery: one immutable ConfigMap per content revision holding
 * every file of the site (inline and referenced alike), keyed by {@link SitePath#toKey} of its
 * path. A mounted ConfigMap is updated in place by the kubelet, pod by pod: old pods would switch
 * content at different moments. An immutable copy per revision never changes under a running pod,
 * and stays for a rollback.
 */
public final class RevisionContent {

  private RevisionContent() {}

  /** Key to path of every file in the revision ConfigMap of {@code content}. */
  public static Map<String, String> items(SiteContent content) {
    Map<String, String> items = new TreeMap<>();
    content.files().forEach(f -> items.put(SitePath.toKey(f.path()), f.path()));
    return items;
  }

  /**
   * Key to path, read back from a revision ConfigMap's keys (for a rollback); not the headers file,
   * which is mounted outside the docroot.
   */
  public static Map<String, String> items(Iterable<String> keys) {
    Map<String, String> items = new TreeMap<>();
    keys.forEach(
        key -> {
          if (!key.equals(SiteServing.CONFIGMAP_KEY)) {
            items.put(key, SitePath.fromKey(key));
          }
        });
    return items;
  }
}
