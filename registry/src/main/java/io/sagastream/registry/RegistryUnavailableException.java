package io.sagastream.registry;

/**
 * No registry URL answered, or every answer was a server error, after all retries. Transient: the
 * same call may succeed later, so callers retry rather than treat the input as bad.
 */
public class RegistryUnavailableException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(
      String message, String subject, int httpStatus, Throwable cause) {
    super(message, subject, httpStatus, -1, cause);
  }
}
