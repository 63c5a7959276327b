package dev.tinystatic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A content revision that went live, as status.revisions lists it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SiteRevision {

  @JsonPropertyDescription("sha256 of the revision's content: what spec.revision names.")
  private String contentHash;

  @JsonPropertyDescription("Image delivery: the revision's image, pinned by digest.")
  private String image;

  @JsonPropertyDescription("When the Service moved to this revision (RFC 3339).")
  private String liveSince;

  public SiteRevision() {}

  public SiteRevision(String contentHash, String image, String liveSince) {
    this.contentHash = contentHash;
    this.image = image;
    this.liveSince = liveSince;
  }

  public String getContentHash() {
    return contentHash;
  }

  public void setContentHash(String contentHash) {
    this.contentHash = contentHash;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getLiveSince() {
    return liveSince;
  }

  public void setLiveSince(String liveSince) {
    this.liveSince = liveSince;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SiteRevision other
        && Objects.equals(contentHash, other.contentHash)
        && Objects.equals(image, other.image)
        && Objects.equals(liveSince, other.liveSince);
  }

  @Override
  public int hashCode() {
    return Objects.hash(contentHash, image, liveSince);
  }
}
