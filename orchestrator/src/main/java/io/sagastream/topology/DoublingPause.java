package io.sagastream.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before trying again after failures in a row: {@code first} after one, twice as
 * long after each further one, never more than {@code max}. Used where the node waits for Kafka to
 * let it in or for its topics, so that a problem put right on the Kafka side is noticed soon, and a
 * lasting one is not retried in a tight loop.
 */
record DoublingPause(Duration first, Duration max) {

  /** More doublings than this would only be capped; the bound keeps the shift from overflowing. */
  private static final int MOST_DOUBLINGS = 20;

  DoublingPause {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "a doubling pause needs 0 < first <= max, got first " + first + " and max " + max);
    }
  }

  /** The pause after {@code failures} failures in a row (1 or more). */
  Duration after(int failures) {
    int doublings = Math.min(Math.max(failures - 1, 0), MOST_DOUBLINGS);
    Duration pause = first.multipliedBy(1L << doublings);
    return pause.compareTo(max) > 0 ? max : pause;
  }
}
