package dev.tinystatic.dependent;

import dev.tinystatic.api.IngressTls;
import dev.tinystatic.api.SiteIngress;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerStatus;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatus;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * spec.ingress: an Ingress named like the site that routes its host (and path prefix) to the site's
 * Service, with TLS and cert-manager's annotation when asked. Deleted when spec.ingress is removed
 * ({@link Wanted} is the workflow's precondition).
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = SiteObjects.MANAGED_SELECTOR,
            itemStore = AppliedFieldsStore.class))
public class IngressDependent extends SiteDependent<Ingress> {

  public static final String NAME = "ingress";

  public static final String CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";
  public static final String ISSUER_ANNOTATION = "cert-manager.io/issuer";

  public IngressDependent() {
    super(Ingress.class, SiteObjects::serviceName);
  }

  @Override
  protected Ingress desired(TinyStaticSite site, Context<TinyStaticSite> context) {
    return desiredIngress(site);
  }

  public static Ingress desiredIngress(TinyStaticSite site) {
    SiteIngress ingress = site.getSpec().getIngress();
    var metadata = SiteObjects.metadata(site, SiteObjects.serviceName(site), "ingress");
    Map<String, String> annotations =
        new TreeMap<>(ingress.getAnnotations() == null ? Map.of() : ingress.getAnnotations());
    Optional<IngressTls> tls = Optional.ofNullable(ingress.getTls());
    tls.map(IngressTls::getClusterIssuer)
        .filter(issuer -> !issuer.isBlank())
        .ifPresent(issuer -> annotations.put(CLUSTER_ISSUER_ANNOTATION, issuer));
    tls.map(IngressTls::getIssuer)
        .filter(issuer -> !issuer.isBlank())
        .ifPresent(issuer -> annotations.put(ISSUER_ANNOTATION, issuer));
    metadata.setAnnotations(annotations);
    var path =
        new HTTPIngressPathBuilder()
            .withPath(ingress.pathOrDefault())
            .withPathType("Prefix")
            .withNewBackend()
            .withNewService()
            .withName(SiteObjects.serviceName(site))
            .withNewPort()
            .withName(DeploymentDependent.PORT_NAME)
            .endPort()
            .endService()
            .endBackend()
            .build();
    var builder =
        new IngressBuilder()
            .withMetadata(metadata)
            .withNewSpec()
            .withIngressClassName(blankToNull(ingress.getClassName()))
            .addNewRule()
            .withHost(ingress.getHost())
            .withNewHttp()
            .withPaths(path)
            .endHttp()
            .endRule()
            .endSpec();
    tls.ifPresent(
        t ->
            builder
                .editSpec()
                .withTls(
                    new IngressTLSBuilder()
                        .withHosts(ingress.getHost())
                        .withSecretName(secretName(site, t))
                        .build())
                .endSpec());
    return builder.build();
  }

  /** The certificate's Secret: the one named, else {@code SITE-tls} (what cert-manager writes). */
  static String secretName(TinyStaticSite site, IngressTls tls) {
    return Optional.ofNullable(blankToNull(tls.getSecretName()))
        .orElse(site.getMetadata().getName() + "-tls");
  }

  /** Where users reach the site through the Ingress: https with TLS, else http. */
  public static String url(TinyStaticSite site) {
    SiteIngress ingress = site.getSpec().getIngress();
    String path = ingress.pathOrDefault();
    return (ingress.getTls() != null ? "https://" : "http://")
        + ingress.getHost()
        + (path.startsWith("/") ? path : "/" + path);
  }

  /**
   * The addresses the ingress controller published for the Ingress (IPs or host names): none while
   * no controller has taken it up.
   */
  public static List<String> addresses(Ingress ingress) {
    return Optional.ofNullable(ingress.getStatus())
        .map(IngressStatus::getLoadBalancer)
        .map(IngressLoadBalancerStatus::getIngress)
        .orElse(List.of())
        .stream()
        .map(a -> a.getIp() != null ? a.getIp() : a.getHostname())
        .filter(Objects::nonNull)
        .toList();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** The workflow's precondition: an Ingress only while spec.ingress is set, else it is deleted. */
  public static class Wanted extends SiteCondition<Ingress> {
    public Wanted() {
      super((site, context) -> site.getSpec().getIngress() != null);
    }
  }
}
