package io.sagastream.topology;

import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A count of a store's entries for the recovery pass's census, read a slice at a time, one slice
 * per timer interval until the count is whole, and again once asked. Counting a store whole in one
 * punctuation held the stream thread for as long as the store took to read: a second or more for a
 * task with a million timers, every pass.
 *
 * @param <K> the store's key type
 */
final class SlicedCount<K> {

  /** Keys read per slice: about what the recovery pass reads of instances, which are larger. */
  static final int SLICE_SIZE = 2000;

  private final BiFunction<K, K, KeyValueIterator<K, ?>> range;
  private final K first;
  private final K last;
  private final Predicate<K> counted;
  private K resumeAfter;
  private long running;
  private boolean wanted = true;
  private long lastTotal;

  /**
   * @param range the store's range read, bounds inclusive, a null bound open
   * @param first the first key counted, or null from the store's start
   * @param last the last key counted, or null to the store's end
   * @param counted which keys in the range count
   */
  SlicedCount(
      BiFunction<K, K, KeyValueIterator<K, ?>> range, K first, K last, Predicate<K> counted) {
    this.range = range;
    this.first = first;
    this.last = last;
    this.counted = counted;
  }

  /** Reads the next slice; the total once this one reached the end, and the next count begins. */
  OptionalLong advance() {
    int read = 0;
    boolean exhausted;
    try (KeyValueIterator<K, ?> entries =
        range.apply(resumeAfter == null ? first : resumeAfter, last)) {
      while (read < SLICE_SIZE && entries.hasNext()) {
        K key = entries.next().key;
        if (key.equals(resumeAfter)) {
          continue;
        }
        read++;
        resumeAfter = key;
        if (counted.test(key)) {
          running++;
        }
      }
      exhausted = !entries.hasNext();
    }
    if (!exhausted) {
      return OptionalLong.empty();
    }
    long total = running;
    running = 0;
    resumeAfter = null;
    return OptionalLong.of(total);
  }

  /** Reads the next slice while a count is wanted; a whole count is kept as the last total. */
  void step() {
    if (wanted) {
      advance()
          .ifPresent(
              total -> {
                lastTotal = total;
                wanted = false;
              });
    }
  }

  /** Asks for a new count, read by the next steps. */
  void again() {
    wanted = true;
  }

  /** The last whole count; 0 before the first. */
  long lastTotal() {
    return lastTotal;
  }

  /** Reads slices until the count is complete. */
  long total() {
    OptionalLong total = advance();
    while (total.isEmpty()) {
      total = advance();
    }
    return total.getAsLong();
  }
}
