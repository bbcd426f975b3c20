package io.sagastream.engine;

/** Why a timer was set. Stored by position in timer keys: new kinds go at the end. */
public enum TimerKind {
  /** The awaited reply did not come in time: the attempt failed. */
  STEP_TIMEOUT,
  /** The backoff before the next attempt is over: send it. */
  RETRY_BACKOFF,
  /** The saga's overall deadline: compensate. */
  SAGA_DEADLINE,
  /** A receive step's message did not come in time. */
  RECEIVE_TIMEOUT,
  /**
   * A message kept in the inbox outlived its time-to-live: the inbox's timer, not an instance's.
   */
  MESSAGE_EXPIRY
}
