package io.sagastream.topology;

import java.nio.ByteBuffer;
import java.time.Duration;
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
 * <p>The tombstones ahead cost as much. RocksDB's seek to where a scan starts, and its step past
 * the scan's last timer, go on to the next live key: Kafka Streams gives its iterators no upper
 * bound. A step's timeout, cancelled a fraction of a second after it was set, leaves its tombstone
 * nearly a whole timeout ahead, so the next live key lay past nearly all of them, and every scan
 * stepped over them all (12% of the stream thread at peak, 17% at half load). So while timers ahead
 * are being deleted, the schedule keeps <em>stops</em> a short way ahead of the scans: live keys
 * made of a due time alone, which no timer key is, one per scan interval. A scan's seek and its
 * last step end at the next stop; a scan deletes the stops it passes. Stops are written (and
 * changelogged) only while timers ahead were deleted within the last minute, so an idle task writes
 * nothing.
 *
 * <p>The bounds live in memory only: a task that starts (a restart, a rebalance, a standby taking
 * over) scans from the start once, and places stops from the first timer ahead it deletes.
 */
final class TimerSchedule {

  private static final long START = 0L;
  private static final byte[] NO_VALUE = new byte[0];
  private static final int STOP_LENGTH = Long.BYTES;

  /** How many scan intervals ahead stops are kept: a scan that late still ends at one. */
  private static final int STOPS_AHEAD = 10;

  /** How long after the last deletion of a timer ahead stops are still placed. */
  private static final long STOPS_AFTER_DELETION_MILLIS = Duration.ofMinutes(1).toMillis();

  private final KeyValueStore<Bytes, byte[]> store;
  private final long stopSpacingMillis;
  private long scanFromMillis = START;
  private long lastScanMillis = START;
  private long deletedAheadUntilMillis = START;
  private boolean deletedAheadSinceScan;
  private long placeStopsUntilMillis = START;
  private long stoppedUntilMillis = START;

  /**
   * @param scanInterval how often the task scans for due timers: the spacing of the stops
   */
  TimerSchedule(KeyValueStore<Bytes, byte[]> store, Duration scanInterval) {
    this.store = store;
    this.stopSpacingMillis = Math.max(1, scanInterval.toMillis());
  }

  void put(Bytes key) {
    store.put(key, NO_VALUE);
    // A due time before 1970 (never scheduled) must not take the bound below 0: it sorts last.
    scanFromMillis = Math.min(scanFromMillis, Math.max(START, dueAtMillis(key)));
  }

  void delete(Bytes key) {
    StoreDeletes.deleteUnread(store, key);
    long dueAt = dueAtMillis(key);
    if (dueAt > lastScanMillis) {
      deletedAheadUntilMillis = Math.max(deletedAheadUntilMillis, dueAt);
      deletedAheadSinceScan = true;
    }
  }

  /**
   * At most {@code limit} timers due at or before {@code now}, earliest first. The caller fires and
   * deletes each of them; any timer left for a later scan, or put with an earlier due time since,
   * is where the next scan starts.
   */
  List<Bytes> due(Instant now, int limit) {
    lastScanMillis = now.toEpochMilli();
    placeStops(now.toEpochMilli());
    List<Bytes> due = new ArrayList<>();
    long from = scanFromMillis;
    if (from > now.toEpochMilli()) {
      return due;
    }
    List<Bytes> passedStops = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> scan =
        store.range(Bytes.wrap(TimerKeys.dueFrom(from)), Bytes.wrap(TimerKeys.dueBy(now)))) {
      while (due.size() < limit && scan.hasNext()) {
        Bytes key = scan.next().key;
        (isStop(key) ? passedStops : due).add(key);
      }
    }
    passedStops.forEach(stop -> StoreDeletes.deleteUnread(store, stop));
    scanFromMillis =
        due.size() < limit ? now.toEpochMilli() + 1 : dueAtMillis(due.get(due.size() - 1));
    return due;
  }

  /** A count of the pending timers (stops not counted), for the recovery pass's census. */
  SlicedCount<Bytes> pendingCount() {
    return new SlicedCount<>(store::range, null, null, key -> !isStop(key));
  }

  /**
   * Stops on the grid of the scan interval, up to {@link #STOPS_AHEAD} intervals ahead and no
   * further than the last deleted timer. The grid is the same on every node, so a stop restored
   * from the changelog is at most put again.
   */
  private void placeStops(long nowMillis) {
    if (deletedAheadSinceScan) {
      placeStopsUntilMillis = nowMillis + STOPS_AFTER_DELETION_MILLIS;
      deletedAheadSinceScan = false;
    }
    if (nowMillis > placeStopsUntilMillis) {
      return;
    }
    long until = Math.min(nowMillis + STOPS_AHEAD * stopSpacingMillis, deletedAheadUntilMillis);
    long at =
        Math.max(stoppedUntilMillis, nowMillis - nowMillis % stopSpacingMillis) + stopSpacingMillis;
    for (; at <= until; at += stopSpacingMillis) {
      store.put(Bytes.wrap(TimerKeys.dueFrom(at)), NO_VALUE);
      stoppedUntilMillis = at;
    }
  }

  /** Whether {@code key} is a stop rather than a timer. */
  static boolean isStop(Bytes key) {
    return key.get().length == STOP_LENGTH;
  }

  private static long dueAtMillis(Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong();
  }
}
