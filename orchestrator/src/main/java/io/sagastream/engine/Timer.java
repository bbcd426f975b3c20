package io.sagastream.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * A timer of one saga instance. {@code reference} says what it is about: the command id for a step
 * timeout or a retry, the saga id for the deadline. A timer that fires after it was cancelled or
 * replaced no longer matches the instance and is ignored.
 */
public record Timer(TimerKind kind, Instant dueAt, String reference) {

  public Timer {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(dueAt, "dueAt");
    Objects.requireNonNull(reference, "reference");
  }
}
