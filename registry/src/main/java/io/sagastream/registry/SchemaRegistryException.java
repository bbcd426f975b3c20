package io.sagastream.registry;

/**
 * A call to the schema registry failed. The message names the subject (where there is one) and
 * quotes the registry's own message; {@link #httpStatus()} and {@link #errorCode()} are the
 * registry's codes, or -1 where no answer came.
 */
public class SchemaRegistryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String subject;
  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(
      String message, String subject, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.subject = subject;
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The subject the call was about, or null for calls that have none (a lookup by id). */
  public String subject() {
    return subject;
  }

  /** The HTTP status of the registry's answer, or -1 when no answer came. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's error code (for example 40401 subject not found), or -1. */
  public int errorCode() {
    return errorCode;
  }
}
