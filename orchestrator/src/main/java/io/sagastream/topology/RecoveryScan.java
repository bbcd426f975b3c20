package io.sagastream.topology;

import io.sagastream.codec.InstanceCodec;
import io.sagastream.engine.InstanceSummary;
import io.sagastream.engine.SagaInstance;
import io.sagastream.engine.SagaStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's recovery scan over its instances, read a slice at a time. A whole pass in one
 * punctuation held the stream thread for as long as the store took to read (seconds for a task with
 * a million instances), and every step queued behind it waited as long. A slice is read every timer
 * interval; a pass starts every recovery interval, or as soon as the previous one ends when it took
 * longer.
 */
final class RecoveryScan {

  private static final Logger LOG = LoggerFactory.getLogger(RecoveryScan.class);

  /** Instances read per slice: a few milliseconds of the stream thread. */
  static final int SLICE_SIZE = 500;

  /**
   * What one slice found.
   *
   * @param stuck open instances with no progress for the recovery age and no timer that could still
   *     move them, to re-drive
   * @param ended keys of instances that ended longer ago than the retention, to remove
   * @param finished the pass, when this slice was its last
   */
  record Slice(List<SagaInstance> stuck, List<String> ended, Optional<Pass> finished) {}

  /**
   * A finished pass over every instance of the task.
   *
   * @param instances what it counted by definition and status (removed instances not included)
   * @param openByVersion instances that have not ended, by definition and version
   * @param took the stream thread's time in all of its slices
   */
  record Pass(
      Map<String, Map<SagaStatus, Long>> instances,
      Map<String, Map<Integer, Long>> openByVersion,
      Duration took) {}

  private final KeyValueStore<String, byte[]> store;
  private final TopologySettings settings;
  private long nextPassAtMillis;
  private boolean underWay;
  private String resumeAfter;
  private long tookNanos;
  private Map<String, Map<SagaStatus, Long>> census = new TreeMap<>();
  private Map<String, Map<Integer, Long>> openByVersion = new TreeMap<>();

  /**
   * The first pass starts at once: a task that has just moved here (a rebalance, a takeover) has no
   * census until its first pass ends, and the node's instance gauges lacked its instances for a
   * whole recovery interval; its stuck sagas, if any, wait no longer either.
   */
  RecoveryScan(KeyValueStore<String, byte[]> store, TopologySettings settings, long startedAt) {
    this.store = store;
    this.settings = settings;
    this.nextPassAtMillis = startedAt;
  }

  /** The next slice, when a pass is due or under way at {@code wallClockMillis}. */
  Optional<Slice> next(long wallClockMillis) {
    if (!underWay) {
      if (wallClockMillis < nextPassAtMillis) {
        return Optional.empty();
      }
      underWay = true;
      nextPassAtMillis = wallClockMillis + settings.recoveryInterval().toMillis();
    }
    long startedNanos = System.nanoTime();
    Instant now = Instant.ofEpochMilli(wallClockMillis);
    Instant stale = now.minus(settings.recoveryAge());
    Instant retainedSince = now.minus(settings.endedRetention());
    List<SagaInstance> stuck = new ArrayList<>();
    List<String> ended = new ArrayList<>();
    int read = 0;
    boolean exhausted;
    try (KeyValueIterator<String, byte[]> slice = store.range(resumeAfter, null)) {
      while (read < SLICE_SIZE && slice.hasNext()) {
        KeyValue<String, byte[]> entry = slice.next();
        if (entry.key.equals(resumeAfter)) {
          continue;
        }
        read++;
        resumeAfter = entry.key;
        InstanceSummary summary = readable(entry, InstanceCodec::summarize);
        if (summary == null) {
          continue;
        }
        if (summary.endedBefore(retainedSince)) {
          ended.add(entry.key);
        } else {
          count(summary);
          if (summary.stuckSince(stale)) {
            SagaInstance instance = readable(entry, InstanceCodec::decode);
            if (instance != null) {
              stuck.add(instance);
            }
          }
        }
      }
      exhausted = !slice.hasNext();
    }
    tookNanos += System.nanoTime() - startedNanos;
    return Optional.of(
        new Slice(stuck, ended, exhausted ? Optional.of(finish()) : Optional.empty()));
  }

  /**
   * What {@code read} makes of the stored instance, or null when it cannot be read: the scan goes
   * on past it, rather than failing on it in every pass. A step for it fails as its own input, and
   * that input goes to dead letters.
   */
  private static <T> T readable(KeyValue<String, byte[]> entry, Function<byte[], T> read) {
    try {
      return read.apply(entry.value);
    } catch (RuntimeException e) {
      LOG.warn(
          "The recovery scan skips instance '{}': it cannot be read ({})", entry.key, e.toString());
      return null;
    }
  }

  private void count(InstanceSummary instance) {
    census
        .computeIfAbsent(instance.definitionName(), d -> new EnumMap<>(SagaStatus.class))
        .merge(instance.status(), 1L, Long::sum);
    if (!instance.status().isTerminal()) {
      openByVersion
          .computeIfAbsent(instance.definitionName(), d -> new TreeMap<>())
          .merge(instance.definitionVersion(), 1L, Long::sum);
    }
  }

  private Pass finish() {
    Pass pass = new Pass(census, openByVersion, Duration.ofNanos(tookNanos));
    underWay = false;
    resumeAfter = null;
    tookNanos = 0;
    census = new TreeMap<>();
    openByVersion = new TreeMap<>();
    return pass;
  }
}
