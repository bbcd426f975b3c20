package io.sagastream.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * When this process's garbage collector stopped the world, so that a window can say how many step
 * round trips, and how many of its slowest, had a pause inside them: whether the tail is the
 * collector's or the product's.
 */
final class PauseTimeline {

  private long[] starts = new long[256];
  private long[] ends = new long[256];
  private int size;

  /** This process's pauses, recorded from the first call on. */
  static PauseTimeline ofThisProcess() {
    return ThisProcess.TIMELINE;
  }

  private static final class ThisProcess {
    static final PauseTimeline TIMELINE = listen();
  }

  /** Records every stop-the-world pause of this process from now on. */
  static PauseTimeline listen() {
    PauseTimeline timeline = new PauseTimeline();
    // The collectors time their pauses in JVM uptime. The runtime bean's start time was 48 ms off
    // the wall clock that the journal's times are read from; the uptime now, against the wall
    // clock now, is not.
    long jvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getUptime();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (GcPauses.pauses(collector.getName()) && collector instanceof NotificationEmitter) {
        ((NotificationEmitter) collector)
            .addNotificationListener(
                (notification, handback) -> {
                  if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                      notification.getType())) {
                    var info =
                        GarbageCollectionNotificationInfo.from(
                                (CompositeData) notification.getUserData())
                            .getGcInfo();
                    timeline.add(jvmStart + info.getStartTime(), jvmStart + info.getEndTime());
                  }
                },
                null,
                null);
      }
    }
    return timeline;
  }

  /** A pause from {@code start} to {@code end} (epoch millis). */
  synchronized void add(long start, long end) {
    if (size == starts.length) {
      starts = Arrays.copyOf(starts, size * 2);
      ends = Arrays.copyOf(ends, size * 2);
    }
    starts[size] = start;
    ends[size] = end;
    size++;
  }

  /** A timeline with this one's pauses and {@code other}'s: a node's own JVM's, say. */
  PauseTimeline plus(PauseTimeline other) {
    PauseTimeline both = new PauseTimeline();
    copyInto(both);
    other.copyInto(both);
    return both;
  }

  private synchronized void copyInto(PauseTimeline into) {
    for (int i = 0; i < size; i++) {
      into.add(starts[i], ends[i]);
    }
  }

  /**
   * The pauses that ended at or after {@code since} (epoch millis) on one line, which {@link
   * #decode} reads back: "-" for none.
   */
  synchronized String encode(long since) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < size; i++) {
      if (ends[i] >= since) {
        line.append(line.isEmpty() ? "" : ",").append(starts[i]).append(':').append(ends[i]);
      }
    }
    return line.isEmpty() ? "-" : line.toString();
  }

  static PauseTimeline decode(String line) {
    PauseTimeline timeline = new PauseTimeline();
    if (!line.equals("-")) {
      for (String pause : line.split(",")) {
        int colon = pause.indexOf(':');
        timeline.add(
            Long.parseLong(pause.substring(0, colon)), Long.parseLong(pause.substring(colon + 1)));
      }
    }
    return timeline;
  }

  /**
   * The share of the round trips (each {@code durations[i]} long, ended at {@code endTimes[i]})
   * that a pause overlapped; only those at least {@code atLeast} long count. NaN without any.
   */
  synchronized double shareOverlapped(Samples durations, Samples endTimes, long atLeast) {
    int counted = 0;
    int overlapped = 0;
    for (int i = 0; i < durations.size(); i++) {
      long duration = durations.get(i);
      if (duration < atLeast) {
        continue;
      }
      counted++;
      if (overlaps(endTimes.get(i) - duration, endTimes.get(i))) {
        overlapped++;
      }
    }
    return counted == 0 ? Double.NaN : (double) overlapped / counted;
  }

  private boolean overlaps(long from, long to) {
    for (int i = 0; i < size; i++) {
      if (starts[i] <= to && ends[i] >= from) {
        return true;
      }
    }
    return false;
  }
}
