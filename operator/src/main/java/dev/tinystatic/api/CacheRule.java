package dev.tinystatic.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One spec.cache rule: the Cache-Control of the files a glob matches. */
public class CacheRule {

  @Required
  @JsonPropertyDescription(
      "Glob over file paths: * within a directory, ** across directories, ? one character"
          + " (assets/**, **/*.css); a glob without / matches the file name in any directory.")
  private String match;

  @Required
  @JsonPropertyDescription(
      "Cache-Control for those files, e.g. \"public, max-age=31536000, immutable\".")
  private String control;

  public CacheRule() {}

  public CacheRule(String match, String control) {
    this.match = match;
    this.control = control;
  }

  public String getMatch() {
    return match;
  }

  public void setMatch(String match) {
    this.match = match;
  }

  public String getControl() {
    return control;
  }

  public void setControl(String control) {
    this.control = control;
  }
}
