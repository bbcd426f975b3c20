package io.sagastream.topology;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A task's timer store, and the earliest due time its next scan for due timers must start from.
 *
 * <p>Most timers are cancelled long before they fall due (a step's timeout, once its reply came),
 * and a cancelled timer stays in RocksDB as a tombstone until compaction. A scan that began at the
 * start of the store stepped over every such tombstone whose due time had passed, on every
 * punctuation of every task: at a thousand steps per second that was a third of the stream thread,
 * growing with the time since the last flush and as large at half load as at peak. Starting where
 * the last scan ended steps over each tombstone once.
 *
 * <p>The bound lives in memory only: a task that starts (a restart, a rebalance, a standby taking
 * over) scans from the start once.
 */
final class TimerSchedule {

  private static final long START = 0L;
  private static final byte[] NO_VALUE = new byte[0];

  private final KeyValueStore<Bytes, byte[]> store;
  private long scanFromMillis = START;

  TimerSchedule(KeyValueStore<Bytes, byte[]> store) {
    this.store = store;
  }

  void put(Bytes key) {
    store.put(key, NO_VALUE);
    // A due time before 1970 (never scheduled) must not take the bound below 0: it sorts last.
    scanFromMillis = Math.min(scanFromMillis, Math.max(START, dueAtMillis(key)));
  }

  void delete(Bytes key) {
    store.delete(key);
  }

  /**
   * At most {@code limit} timers due at or before {@code now}, earliest first. The caller fires and
   * deletes each of them; any timer left for a later scan, or put with an earlier due time since,
   * is where the next scan starts.
   */
  List<Bytes> due(Instant now, int limit) {
    List<Bytes> due = new ArrayList<>();
    long from = scanFromMillis;
    if (from > now.toEpochMilli()) {
      return due;
    }
    try (KeyValueIterator<Bytes, byte[]> scan =
        store.range(Bytes.wrap(TimerKeys.dueFrom(from)), Bytes.wrap(TimerKeys.dueBy(now)))) {
      while (scan.hasNext() && due.size() < limit) {
        due.add(scan.next().key);
      }
    }
    scanFromMillis =
        due.size() < limit ? now.toEpochMilli() + 1 : dueAtMillis(due.get(due.size() - 1));
    return due;
  }

  /** How many timers are pending: a full read of the store, for the recovery pass's census. */
  long pending() {
    return StoreCounts.count(store.all());
  }

  private static long dueAtMillis(Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong();
  }
}
