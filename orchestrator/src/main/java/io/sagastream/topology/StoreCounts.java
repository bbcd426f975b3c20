package io.sagastream.topology;

import org.apache.kafka.streams.state.KeyValueIterator;

/** Counting what a store scan holds, for the recovery pass's census. */
final class StoreCounts {

  private StoreCounts() {}

  /** Reads {@code entries} to its end and closes it. */
  static long count(KeyValueIterator<?, ?> entries) {
    long count = 0;
    try (entries) {
      while (entries.hasNext()) {
        entries.next();
        count++;
      }
    }
    return count;
  }
}
