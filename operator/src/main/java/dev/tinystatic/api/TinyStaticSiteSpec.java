package dev.tinystatic.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the user asks for: the files, the port, how many replicas, how to deliver and expose. */
@ValidationRule(
    value = "has(self.files) || has(self.binaryFiles) || has(self.contentFrom)",
    message = "a site needs content: set files, binaryFiles or contentFrom")
public class TinyStaticSiteSpec {

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_REPLICAS = 1;

  @Min(1024)
  @Max(65535)
  @Default("8080")
  @JsonPropertyDescription(
      "Port the server listens on and the Service exposes by default (1024-65535, default 8080).")
  // No Java default (the CRD's default and portOrDefault() give it): a spec built empty, as
  // JOSDK's server-side-apply patch that adds the finalizer is, must not force 8080 on the site.
  private Integer port;

  @Min(0)
  @Default("1")
  @SpecReplicas
  @JsonPropertyDescription("Number of server pods (default 1; 0 parks the site).")
  // As port: an empty spec must not force 1 replica on the site.
  private Integer replicas;

  @JsonPropertyDescription(
      "Inline text files: relative path (nested paths allowed, e.g. css/site.css) -> content.")
  private Map<String, String> files;

  @JsonPropertyDescription(
      "Inline binary files (images, fonts, wasm): relative path -> base64-encoded content.")
  private Map<String, String> binaryFiles;

  @JsonPropertyDescription(
      "Files taken from an existing ConfigMap, instead of or besides inline files.")
  private ContentFrom contentFrom;

  @JsonPropertyDescription(
      "How the files reach the pods: ConfigMap (mounted read-only; any cluster) or Image (baked"
          + " into a per-site image in the operator's registry, no volumes). Default: Image when"
          + " the operator has a registry, else ConfigMap.")
  private Delivery delivery;

  @JsonPropertyDescription("Service settings (default: ClusterIP on spec.port).")
  private SiteService service;

  @JsonPropertyDescription(
      "Resources of the server container; replaces the operator's small default when set.")
  private ResourceRequirements resources;

  @JsonPropertyDescription(
      "Public host name through an owned Ingress (networking.k8s.io/v1), with optional TLS.")
  private SiteIngress ingress;

  @JsonPropertyDescription(
      "Exposure through the Gateway API: an owned HTTPRoute (gateway.networking.k8s.io/v1).")
  private SiteGateway gateway;

  @JsonPropertyDescription(
      "File sent, with status 404, for every path that does not exist (e.g. 404.html).")
  private String notFound;

  @JsonPropertyDescription(
      "Single-page app: a missing path whose last segment has no file extension (a client-side"
          + " route) gets index.html with 200; missing assets still get 404.")
  private Boolean spa;

  @JsonPropertyDescription(
      "Cache-Control rules by path glob, first match wins. Without a match: HTML and"
          + " unfingerprinted files no-cache; names with a content fingerprint (app.3f9a1c2b.js,"
          + " main-BX3kq9a1.css) public, max-age=31536000, immutable.")
  private List<CacheRule> cache;

  @JsonPropertyDescription(
      "Headers added to every response, e.g. Content-Security-Policy. They replace the secure"
          + " defaults of the same name (X-Content-Type-Options: nosniff, Referrer-Policy:"
          + " strict-origin-when-cross-origin); an empty value removes a default.")
  private Map<String, String> headers;

  @JsonPropertyDescription(
      "How content changes reach visitors (default: Atomic cutover) and how many revisions are"
          + " kept for rollback.")
  private SiteRollout rollout;

  @Pattern("^sha256:[0-9a-f]{64}$")
  @JsonPropertyDescription(
      "Roll back: the contentHash of a revision in status.revisions; the site serves it (at once,"
          + " its ConfigMap or image is kept) instead of its files until this is cleared.")
  private String revision;

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Map<String, String> getFiles() {
    return files;
  }

  public void setFiles(Map<String, String> files) {
    this.files = files;
  }

  public Map<String, String> getBinaryFiles() {
    return binaryFiles;
  }

  public void setBinaryFiles(Map<String, String> binaryFiles) {
    this.binaryFiles = binaryFiles;
  }

  public ContentFrom getContentFrom() {
    return contentFrom;
  }

  public void setContentFrom(ContentFrom contentFrom) {
    this.contentFrom = contentFrom;
  }

  public Delivery getDelivery() {
    return delivery;
  }

  public void setDelivery(Delivery delivery) {
    this.delivery = delivery;
  }

  public SiteService getService() {
    return service;
  }

  public void setService(SiteService service) {
    this.service = service;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public SiteIngress getIngress() {
    return ingress;
  }

  public void setIngress(SiteIngress ingress) {
    this.ingress = ingress;
  }

  public SiteGateway getGateway() {
    return gateway;
  }

  public void setGateway(SiteGateway gateway) {
    this.gateway = gateway;
  }

  public String getNotFound() {
    return notFound;
  }

  public void setNotFound(String notFound) {
    this.notFound = notFound;
  }

  public Boolean getSpa() {
    return spa;
  }

  public void setSpa(Boolean spa) {
    this.spa = spa;
  }

  public List<CacheRule> getCache() {
    return cache;
  }

  public void setCache(List<CacheRule> cache) {
    this.cache = cache;
  }

  public Map<String, String> getHeaders() {
    return headers;
  }

  public void setHeaders(Map<String, String> headers) {
    this.headers = headers;
  }

  public SiteRollout getRollout() {
    return rollout;
  }

  public void setRollout(SiteRollout rollout) {
    this.rollout = rollout;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public RolloutStrategy strategyOrDefault() {
    return Optional.ofNullable(rollout)
        .map(SiteRollout::getStrategy)
        .orElse(RolloutStrategy.Atomic);
  }

  public int drainSecondsOrDefault() {
    return Optional.ofNullable(rollout)
        .map(SiteRollout::getDrainSeconds)
        .orElse(SiteRollout.DEFAULT_DRAIN_SECONDS);
  }

  public int keepRevisionsOrDefault() {
    return Optional.ofNullable(rollout)
        .map(SiteRollout::getKeepRevisions)
        .orElse(SiteRollout.DEFAULT_KEEP_REVISIONS);
  }

  public int imageGraceSecondsOrDefault() {
    return Optional.ofNullable(rollout)
        .map(SiteRollout::getImageGraceSeconds)
        .orElse(SiteRollout.DEFAULT_IMAGE_GRACE_SECONDS);
  }

  /** The revision rolled back to, when spec.revision names one. */
  public Optional<String> rollbackRevision() {
    return Optional.ofNullable(revision).filter(r -> !r.isBlank());
  }

  /** The name in spec.contentFrom.configMapRef, when one is given. */
  public Optional<String> referencedConfigMapName() {
    return Optional.ofNullable(contentFrom)
        .map(ContentFrom::getConfigMapRef)
        .map(ContentFrom.ConfigMapRef::getName)
        .filter(name -> !name.isBlank());
  }

  public int portOrDefault() {
    return port == null ? DEFAULT_PORT : port;
  }

  public int replicasOrDefault() {
    return replicas == null ? DEFAULT_REPLICAS : replicas;
  }
}
