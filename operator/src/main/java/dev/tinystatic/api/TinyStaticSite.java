package dev.tinystatic.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A small static web site served by the TinyStatic native server. */
@Group(TinyStaticSite.GROUP)
@Version(TinyStaticSite.VERSION)
@ShortNames("tss")
@AdditionalPrinterColumn(
    name = "Port",
    jsonPath = ".spec.port",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.readyReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Delivery",
    jsonPath = ".status.delivery",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "URL",
    jsonPath = ".status.url",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TinyStaticSite extends CustomResource<TinyStaticSiteSpec, TinyStaticSiteStatus>
    implements Namespaced {

  public static final String GROUP = "tinystatic.dev";
  public static final String VERSION = "v1alpha1";

  @Override
  protected TinyStaticSiteSpec initSpec() {
    return new TinyStaticSiteSpec();
  }

  /**
   * No status until the operator writes one, as the API server has it. (An empty default status
   * makes JOSDK's JSON patch of the status address fields inside it, which fails where the server
   * holds {@code "status": null}, as Fabric8's mock does once the finalizer is added.)
   */
  @Override
  protected TinyStaticSiteStatus initStatus() {
    return null;
  }
}
