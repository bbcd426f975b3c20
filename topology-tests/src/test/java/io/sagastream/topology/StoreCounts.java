package io.sagastream.topology;

import java.util.function.Predicate;
import org.apache.kafka.streams.state.KeyValueIterator;

/** Counting what a store holds, for tests that look into a node's stores. */
final class StoreCounts {

  private StoreCounts() {}

  /** Reads {@code entries} to its end and closes it. */
  static long count(KeyValueIterator<?, ?> entries) {
    return count(entries, key -> true);
  }

  /** Counts the entries whose key {@code counted} accepts, reading to the end and closing. */
  static <K> long count(KeyValueIterator<K, ?> entries, Predicate<K> counted) {
    long count = 0;
    try (entries) {
      while (entries.hasNext()) {
        if (counted.test(entries.next().key)) {
          count++;
        }
      }
    }
    return count;
  }
}
