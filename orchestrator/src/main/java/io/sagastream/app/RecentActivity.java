package io.sagastream.app;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sagas this node started and ended in the last ten minutes, in ten-second buckets. A scrape of
 * {@code /prometheus} gives totals since start-up; an operator looking at the console wants the
 * rate of the last minutes, and should not need a Prometheus server to see it.
 */
@Singleton
final class RecentActivity {

  static final Duration BUCKET = Duration.ofSeconds(10);
  static final int BUCKETS = 60;

  /** The journal events counted, in the order of a bucket's counts. */
  private static final List<String> EVENTS =
      List.of("SagaStarted", "SagaCompleted", "SagaCompensated", "SagaFailed");

  /** Sagas started and ended in one bucket, which starts at {@code start} (ISO-8601). */
  record Bucket(String start, long started, long completed, long compensated, long failed) {

    Bucket plus(Bucket other) {
      return new Bucket(
          start,
          started + other.started,
          completed + other.completed,
          compensated + other.compensated,
          failed + other.failed);
    }
  }

  private final Clock clock;

  /**
   * A ring: slot {@code n % BUCKETS} holds bucket number {@code n} (seconds since the epoch / 10).
   */
  private final long[] bucketOfSlot = new long[BUCKETS];

  private final long[][] counts = new long[BUCKETS][EVENTS.size()];

  @Inject
  RecentActivity() {
    this(Clock.systemUTC());
  }

  RecentActivity(Clock clock) {
    this.clock = clock;
    Arrays.fill(bucketOfSlot, -1);
  }

  /** Counts {@code event} now, when it is one that starts or ends a saga. */
  void journaled(String event) {
    int index = EVENTS.indexOf(event);
    if (index < 0) {
      return;
    }
    long bucket = bucketNumber(clock.instant());
    int slot = (int) (bucket % BUCKETS);
    synchronized (this) {
      if (bucketOfSlot[slot] != bucket) {
        bucketOfSlot[slot] = bucket;
        Arrays.fill(counts[slot], 0);
      }
      counts[slot][index]++;
    }
  }

  /** The last {@link #BUCKETS} buckets, oldest first, the current (still filling) one last. */
  List<Bucket> recent() {
    long current = bucketNumber(clock.instant());
    List<Bucket> recent = new ArrayList<>(BUCKETS);
    synchronized (this) {
      for (long bucket = current - BUCKETS + 1; bucket <= current; bucket++) {
        int slot = (int) (bucket % BUCKETS);
        long[] held = bucketOfSlot[slot] == bucket ? counts[slot] : new long[EVENTS.size()];
        recent.add(
            new Bucket(
                Instant.ofEpochSecond(bucket * BUCKET.toSeconds()).toString(),
                held[0],
                held[1],
                held[2],
                held[3]));
      }
    }
    return recent;
  }

  private static long bucketNumber(Instant at) {
    return at.getEpochSecond() / BUCKET.toSeconds();
  }
}
