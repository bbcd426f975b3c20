package io.sagastream.app;

/** The API was asked for something that does not exist: a 404 with this message. */
final class NotFoundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  NotFoundException(String message) {
    super(message);
  }
}
