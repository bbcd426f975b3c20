package io.sagastream.engine;

/** Why a timer was set. */
public enum TimerKind {
  /** The awaited reply did not come in time: the attempt failed. */
  STEP_TIMEOUT,
  /** The backoff before the next attempt is over: send it. */
  RETRY_BACKOFF,
  /** The saga's overall deadline: compensate. */
  SAGA_DEADLINE
}
