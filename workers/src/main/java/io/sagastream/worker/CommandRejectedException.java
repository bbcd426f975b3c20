package io.sagastream.worker;

/**
 * Thrown by a {@link CommandHandler} to refuse a command for good: the reply's outcome is {@code
 * failure} with this code, so the orchestrator compensates instead of retrying. Unchecked, so that
 * domain code far below the handler can throw it; returning {@link Reply#failure} says the same. It
 * counts as well when it reaches the worker as the cause of another exception (a {@code
 * CompletionException} from a future the handler joined, say), up to 16 causes deep.
 */
public class CommandRejectedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String errorCode;

  /**
   * @param errorCode machine-readable, stable across releases (the orchestrator records it)
   * @param message for people reading the saga's history
   */
  public CommandRejectedException(String errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  public CommandRejectedException(String errorCode, String message, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
  }

  public String errorCode() {
    return errorCode;
  }
}
