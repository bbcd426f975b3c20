package io.sagastream.app;

/** An API call whose input is wrong: a 400 with this message and the path of the bad field. */
final class BadRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String path;

  BadRequestException(String path, String message) {
    super(message);
    this.path = path;
  }

  String path() {
    return path;
  }
}
