package io.sagastream.engine;

/** Where a saga instance stands. Terminal statuses absorb every later command. */
public enum SagaStatus {
  RUNNING(false),
  /** Waiting in a receive step for a correlated message. */
  WAITING(false),
  COMPENSATING(false),
  COMPLETED(true),
  /** Every completed step was undone; a cancelled saga ends here too. */
  COMPENSATED(true),
  /** A compensation could not finish: an incident an operator resolves by retry or skip. */
  FAILED(false);

  private final boolean terminal;

  SagaStatus(boolean terminal) {
    this.terminal = terminal;
  }

  /**
   * True when no command moves the instance any more. {@link #FAILED} is not terminal: resolving
   * its incident moves it on.
   */
  public boolean isTerminal() {
    return terminal;
  }
}
