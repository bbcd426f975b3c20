package io.sagastream.bench;

import java.util.OptionalInt;

/**
 * Finds the bound on work in flight (sagas open at once, or the harness's keys) at which the
 * machine, not the round trip's latency, bounds the throughput. With too little in flight,
 * throughput is what is in flight ÷ its latency (Little's law) and the machine idles: 1000 open
 * sagas was the peak on one machine and 70% of it on the next, and the harness's 10,000 keys gave
 * 70% of what 20,000 did. The bound doubles while throughput still rises by more than {@link
 * #GAIN}; past that, more in flight only queues, so the smaller bound is kept. One short probe does
 * not end the search: a 10 s probe once gave 4% more at 4000 open than at 2000, where a whole
 * window at 8000 gave 75% more. It ends after {@link #MISSES} doublings in a row gain too little
 * over the best bound so far.
 */
final class InFlightBoundSearch {

  /** The least rise in throughput for which a doubled bound is worth its longer queue. */
  static final double GAIN = 1.10;

  /** Doublings in a row that gain too little before the search ends. */
  static final int MISSES = 2;

  private final int limit;
  private int bound;
  private int chosen;
  private double best;
  private int misses;

  /**
   * @param start the first bound tried
   * @param limit no bound above this is tried
   */
  InFlightBoundSearch(int start, int limit) {
    if (start < 1 || limit < start) {
      throw new IllegalArgumentException(
          "the search needs 1 <= start <= limit, not " + start + " and " + limit);
    }
    this.bound = start;
    this.chosen = start;
    this.limit = limit;
  }

  /** The bound being tried. */
  int bound() {
    return bound;
  }

  /**
   * Takes the throughput measured at {@link #bound()} and says the next bound to try, or empty when
   * the search is over and {@link #chosen()} is the answer.
   */
  OptionalInt measured(double perSecond) {
    if (best > 0 && perSecond <= best * GAIN) {
      misses++;
      if (misses >= MISSES) {
        return OptionalInt.empty();
      }
    } else {
      best = perSecond;
      chosen = bound;
      misses = 0;
    }
    if ((long) bound * 2 > limit) {
      return OptionalInt.empty();
    }
    bound *= 2;
    return OptionalInt.of(bound);
  }

  /** The bound of the last probe that gained enough over the best before it (or the first). */
  int chosen() {
    return chosen;
  }
}
