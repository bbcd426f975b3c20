package io.sagastream.registry;

/** The subject, version or schema id does not exist in the registry (HTTP 404). */
public class SchemaNotFoundException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public SchemaNotFoundException(String message, String subject, int errorCode) {
    super(message, subject, 404, errorCode, null);
  }
}
