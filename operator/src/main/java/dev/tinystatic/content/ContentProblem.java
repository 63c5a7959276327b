package dev.tinystatic.content;

/**
 * Why a site's content cannot be served. The reason is a CamelCase word for status conditions and
 * events; the message says what is wrong and how to fix it.
 */
public final class ContentProblem extends Exception {

  private final String reason;

  public ContentProblem(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
