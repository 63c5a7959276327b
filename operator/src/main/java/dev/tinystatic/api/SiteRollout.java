package dev.tinystatic.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How content changes reach visitors, and how many past revisions stay at hand. */
public class SiteRollout {

  public static final int DEFAULT_DRAIN_SECONDS = 10;
  public static final int DEFAULT_KEEP_REVISIONS = 5;
  public static final int DEFAULT_IMAGE_GRACE_SECONDS = 300;

  @Default("Atomic")
  @JsonPropertyDescription(
      "Atomic (default): a Deployment per content revision; the Service moves to the new"
          + " revision in one step once all its pods are ready, so no visitor gets old content"
          + " after new. Rolling: one Deployment rolled pod by pod (old and new served meanwhile).")
  private RolloutStrategy strategy = RolloutStrategy.Atomic;

  @Min(0)
  @Max(3600)
  @Default("10")
  @JsonPropertyDescription(
      "Atomic: seconds the previous revision's pods keep running after the Service left them"
          + " (requests in flight, clients with old endpoints), before they are removed.")
  private Integer drainSeconds = DEFAULT_DRAIN_SECONDS;

  @Min(1)
  @Max(50)
  @Default("5")
  @JsonPropertyDescription(
      "Revisions kept for rollback (status.revisions): their content ConfigMaps (ConfigMap"
          + " delivery) or images (Image delivery) stay; older ones are removed.")
  private Integer keepRevisions = DEFAULT_KEEP_REVISIONS;

  @Min(0)
  @Default("300")
  @JsonPropertyDescription(
      "Image delivery: seconds an image no kept revision uses stays in the registry (nodes still"
          + " pulling it, pods still draining) before it is deleted.")
  private Integer imageGraceSeconds = DEFAULT_IMAGE_GRACE_SECONDS;

  public Integer getImageGraceSeconds() {
    return imageGraceSeconds;
  }

  public void setImageGraceSeconds(Integer imageGraceSeconds) {
    this.imageGraceSeconds = imageGraceSeconds;
  }

  public RolloutStrategy getStrategy() {
    return strategy;
  }

  public void setStrategy(RolloutStrategy strategy) {
    this.strategy = strategy;
  }

  public Integer getDrainSeconds() {
    return drainSeconds;
  }

  public void setDrainSeconds(Integer drainSeconds) {
    this.drainSeconds = drainSeconds;
  }

  public Integer getKeepRevisions() {
    return keepRevisions;
  }

  public void setKeepRevisions(Integer keepRevisions) {
    this.keepRevisions = keepRevisions;
  }
}
