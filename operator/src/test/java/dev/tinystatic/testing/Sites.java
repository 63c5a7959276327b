package dev.tinystatic.testing;

import dev.tinystatic.api.ContentFrom;
import dev.tinystatic.api.RolloutStrategy;
import dev.tinystatic.api.SiteRollout;
import dev.tinystatic.api.TinyStaticSite;
import dev.tinystatic.api.TinyStaticSiteSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import java.util.TreeMap;

/** Builds sites for tests. */
public final class Sites {

  private Sites() {}

  /**
   * A site rolled out pod by pod (strategy Rolling, one Deployment named after it): the flow most
   * tests check object by object. {@link #atomic} gives the default strategy.
   */
  public static TinyStaticSite site(String namespace, String name, Map<String, String> files) {
    var site = atomic(namespace, name, files);
    var rollout = new SiteRollout();
    rollout.setStrategy(RolloutStrategy.Rolling);
    site.getSpec().setRollout(rollout);
    return site;
  }

  /** A site with the default rollout: Atomic, a Deployment per content revision. */
  public static TinyStaticSite atomic(String namespace, String name, Map<String, String> files) {
    var site = new TinyStaticSite();
    site.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    var spec = new TinyStaticSiteSpec();
    spec.setFiles(new TreeMap<>(files));
    site.setSpec(spec);
    return site;
  }

  public static TinyStaticSite referencing(String namespace, String name, String configMap) {
    var site = site(namespace, name, Map.of());
    site.getSpec().setFiles(null);
    site.getSpec().setContentFrom(new ContentFrom(new ContentFrom.ConfigMapRef(configMap)));
    return site;
  }

  /** A site as the API server would hold it after creation (uid, generation). */
  public static TinyStaticSite stored(TinyStaticSite site) {
    site.getMetadata().setUid("uid-" + site.getMetadata().getName());
    site.getMetadata().setGeneration(1L);
    return site;
  }
}
