package io.sagastream.worker;

/** A command whose saga headers are missing or cannot be parsed. */
final class MalformedCommandException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  MalformedCommandException(String message) {
    super(message);
  }
}
