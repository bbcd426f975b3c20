package io.sagastream.registry;

/**
 * No registry URL answered, or every answer was a server error or asked to come back later (408,
 * 429), after all retries; or the registry refused the client itself (its credentials, a redirect)
 * or answered with something that is not its API. Transient: the same call may succeed once the
 * registry or the client's configuration is mended, so callers retry rather than treat the input as
 * bad.
 */
public class RegistryUnavailableException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(
      String message, String subject, int httpStatus, Throwable cause) {
    super(message, subject, httpStatus, -1, cause);
  }
}
