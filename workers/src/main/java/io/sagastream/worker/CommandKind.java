package io.sagastream.worker;

import io.sagastream.contracts.SagaHeaders;
import java.util.Optional;

/** Whether a command does a step's work or undoes it, from the {@code saga-kind} header. */
public enum CommandKind {
  ACTION(SagaHeaders.KIND_ACTION),
  /**
   * Undo the action with the same saga id and step. It may arrive for an action this participant
   * never saw or already undid (a timed-out or cancelled step is undone too), so it must succeed
   * when there is nothing to undo.
   */
  COMPENSATION(SagaHeaders.KIND_COMPENSATION);

  private final String headerValue;

  CommandKind(String headerValue) {
    this.headerValue = headerValue;
  }

  /** The value of the {@code saga-kind} header. */
  public String headerValue() {
    return headerValue;
  }

  static Optional<CommandKind> fromHeader(String value) {
    for (CommandKind kind : values()) {
      if (kind.headerValue.equals(value)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
