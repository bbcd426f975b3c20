package io.sagastream.app;

/**
 * A call whose record Kafka refuses for its size: a 413, since sending it again cannot help (a 503
 * had clients retry it for ever).
 */
final class PayloadTooLargeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  PayloadTooLargeException(String message) {
    super(message);
  }
}
