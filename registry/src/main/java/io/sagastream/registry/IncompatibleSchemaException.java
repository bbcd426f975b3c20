package io.sagastream.registry;

/** The registry refused a schema because it breaks the subject's compatibility rule (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  public IncompatibleSchemaException(String message, String subject, int errorCode) {
    super(message, subject, 409, errorCode, null);
  }
}
