package dev.tinystatic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed and did, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TinyStaticSiteStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Conditions: ContentReady (files valid and stored), Ready (pods serve the current content).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("sha256 of the normalized content (paths and bytes of every file).")
  private String contentHash;

  @JsonPropertyDescription("Total bytes of all files.")
  private Long contentBytes;

  @JsonPropertyDescription("Number of files.")
  private Integer files;

  @JsonPropertyDescription("The delivery in effect: ConfigMap or Image.")
  private Delivery delivery;

  @JsonPropertyDescription("Image delivery: the baked image, pinned by digest.")
  private String image;

  @JsonPropertyDescription("Image delivery: bytes of the baked image (config and layers).")
  private Long imageBytes;

  @JsonPropertyDescription("In-cluster URL of the site's Service.")
  private String url;

  @StatusReplicas
  @JsonPropertyDescription("Desired number of pods.")
  private Integer replicas;

  @JsonPropertyDescription("Pods ready and serving.")
  private Integer readyReplicas;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the site's pods (the scale subresource's).")
  private String selector;

  @JsonPropertyDescription(
      "Atomic: the content revision (short hash) the Service sends visitors to.")
  private String liveRevision;

  @JsonPropertyDescription(
      "Atomic: the revision starting beside the live one; the Service moves to it once all its"
          + " pods are ready.")
  private String pendingRevision;

  @JsonPropertyDescription(
      "Revisions that went live, newest first (spec.rollout.keepRevisions of them).")
  private List<SiteRevision> revisions;

  @JsonPropertyDescription(
      "Image delivery: images of revisions no longer kept, and when each is deleted from the"
          + " registry.")
  private List<RetiredImage> retiredImages;

  @JsonPropertyDescription(
      "Image delivery: why images are not deleted from the registry (e.g. it refuses deletes).")
  private String registryCleanup;

  public List<RetiredImage> getRetiredImages() {
    return retiredImages;
  }

  public void setRetiredImages(List<RetiredImage> retiredImages) {
    this.retiredImages = retiredImages;
  }

  public String getRegistryCleanup() {
    return registryCleanup;
  }

  public void setRegistryCleanup(String registryCleanup) {
    this.registryCleanup = registryCleanup;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getContentHash() {
    return contentHash;
  }

  public void setContentHash(String contentHash) {
    this.contentHash = contentHash;
  }

  public Long getContentBytes() {
    return contentBytes;
  }

  public void setContentBytes(Long contentBytes) {
    this.contentBytes = contentBytes;
  }

  public Integer getFiles() {
    return files;
  }

  public void setFiles(Integer files) {
    this.files = files;
  }

  public Delivery getDelivery() {
    return delivery;
  }

  public void setDelivery(Delivery delivery) {
    this.delivery = delivery;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Long getImageBytes() {
    return imageBytes;
  }

  public void setImageBytes(Long imageBytes) {
    this.imageBytes = imageBytes;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public String getLiveRevision() {
    return liveRevision;
  }

  public void setLiveRevision(String liveRevision) {
    this.liveRevision = liveRevision;
  }

  public String getPendingRevision() {
    return pendingRevision;
  }

  public void setPendingRevision(String pendingRevision) {
    this.pendingRevision = pendingRevision;
  }

  public List<SiteRevision> getRevisions() {
    return revisions;
  }

  public void setRevisions(List<SiteRevision> revisions) {
    this.revisions = revisions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TinyStaticSiteStatus other
        && Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(contentHash, other.contentHash)
        && Objects.equals(contentBytes, other.contentBytes)
        && Objects.equals(files, other.files)
        && delivery == other.delivery
        && Objects.equals(image, other.image)
        && Objects.equals(imageBytes, other.imageBytes)
        && Objects.equals(url, other.url)
        && Objects.equals(replicas, other.replicas)
        && Objects.equals(readyReplicas, other.readyReplicas)
        && Objects.equals(selector, other.selector)
        && Objects.equals(liveRevision, other.liveRevision)
        && Objects.equals(pendingRevision, other.pendingRevision)
        && Objects.equals(revisions, other.revisions)
        && Objects.equals(retiredImages, other.retiredImages)
        && Objects.equals(registryCleanup, other.registryCleanup);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, contentHash, url, replicas, readyReplicas);
  }
}
