package dev.tinystatic.dependent;

import dev.tinystatic.api.ServiceType;
import dev.tinystatic.api.SiteObjects;
import dev.tinystatic.api.SiteService;
import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;

/** The site's Service: exactly this site's pods, on spec.service.port (default spec.port). */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = SiteObjects.MANAGED_SELECTOR,
            itemStore = AppliedFieldsStore.class))
public class ServiceDependent extends SiteDependent<Service> {

  public static final String NAME = "service";

  public ServiceDependent() {
    super(Service.class, SiteObjects::serviceName);
  }

  @Override
  protected Service desired(TinyStaticSite site, Context<TinyStaticSite> context) {
    return desiredService(site, Cutover.from(context).liveRevision());
  }

  public static Service desiredService(TinyStaticSite site) {
    return desiredService(site, Optional.empty());
  }

  /**
   * @param liveRevision Atomic rollout: the revision whose pods alone get visitors
   */
  public static Service desiredService(TinyStaticSite site, Optional<String> liveRevision) {
    var selector = SiteObjects.selectorLabels(site);
    liveRevision.ifPresent(revision -> selector.put(SiteObjects.REVISION_LABEL, revision));
    Optional<SiteService> settings = Optional.ofNullable(site.getSpec().getService());
    ServiceType type = settings.map(SiteService::getType).orElse(ServiceType.ClusterIP);
    var port =
        new ServicePortBuilder()
            .withName(DeploymentDependent.PORT_NAME)
            .withProtocol("TCP")
            .withPort(servicePort(site))
            .withTargetPort(new IntOrString(DeploymentDependent.PORT_NAME));
    if (type != ServiceType.ClusterIP) {
      settings.map(SiteService::getNodePort).ifPresent(port::withNodePort);
    }
    return new ServiceBuilder()
        .withMetadata(SiteObjects.metadata(site, SiteObjects.serviceName(site), "server"))
        .withNewSpec()
        .withType(type.name())
        .withSelector(selector)
        .withPorts(port.build())
        .endSpec()
        .build();
  }

  public static int servicePort(TinyStaticSite site) {
    return Optional.ofNullable(site.getSpec().getService())
        .map(SiteService::getPort)
        .orElse(site.getSpec().portOrDefault());
  }

  /** The in-cluster URL users and other pods reach the site at. */
  public static String url(TinyStaticSite site) {
    return "http://"
        + SiteObjects.serviceName(site)
        + "."
        + site.getMetadata().getNamespace()
        + ".svc:"
        + servicePort(site);
  }
}
