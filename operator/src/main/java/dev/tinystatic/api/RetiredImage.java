package dev.tinystatic.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Image delivery: an image no kept revision uses, deleted from the registry once due. */
public class RetiredImage {

  @JsonPropertyDescription("The image, pinned by digest.")
  private String image;

  @JsonPropertyDescription("When it is deleted from the registry (RFC 3339).")
  private String deleteAfter;

  public RetiredImage() {}

  public RetiredImage(String image, String deleteAfter) {
    this.image = image;
    this.deleteAfter = deleteAfter;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getDeleteAfter() {
    return deleteAfter;
  }

  public void setDeleteAfter(String deleteAfter) {
    this.deleteAfter = deleteAfter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetiredImage other
        && Objects.equals(image, other.image)
        && Objects.equals(deleteAfter, other.deleteAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, deleteAfter);
  }
}
