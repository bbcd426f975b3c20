package io.sagastream.app;

/** The call conflicts with what the key holds now: a 409 with this message. */
final class ConflictException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ConflictException(String message) {
    super(message);
  }
}
