package io.sagastream.topology;

import io.sagastream.contracts.v1.DeadLetterReason;

/**
 * Input the orchestrator cannot act on: it goes to dead letters with this reason, never retried.
 */
final class PoisonInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final DeadLetterReason reason;

  PoisonInputException(DeadLetterReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  DeadLetterReason reason() {
    return reason;
  }
}
