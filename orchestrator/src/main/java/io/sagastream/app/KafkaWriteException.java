package io.sagastream.app;

/** Kafka did not take a write an API call makes: a 503, since the call may succeed again. */
final class KafkaWriteException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  KafkaWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
