package io.sagastream.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The garbage collector's stop-the-world pauses so far in this process, which holds the broker, the
 * nodes and the participants: a pause stops every step in flight at once, so pauses show in the
 * step round trip's tail. Collectors' beans that count concurrent work (G1's concurrent cycles,
 * ZGC's cycles) are left out.
 */
record GcPauses(long count, long millis) {

  static GcPauses now() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (pauses(collector.getName())) {
        count += Math.max(0, collector.getCollectionCount());
        millis += Math.max(0, collector.getCollectionTime());
      }
    }
    return new GcPauses(count, millis);
  }

  static boolean pauses(String collector) {
    return collector.contains("Pauses")
        || !(collector.contains("Concurrent")
            || collector.contains("Cycles")
            || collector.equals("ZGC"));
  }

  GcPauses since(GcPauses start) {
    return new GcPauses(count - start.count, millis - start.millis);
  }

  /** Both processes' pauses: a node's own JVM's and the benchmark's. */
  GcPauses plus(GcPauses other) {
    return new GcPauses(count + other.count, millis + other.millis);
  }

  double meanMillis() {
    return count == 0 ? 0 : (double) millis / count;
  }
}
