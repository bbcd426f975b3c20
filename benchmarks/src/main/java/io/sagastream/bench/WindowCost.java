package io.sagastream.bench;

import java.util.EnumMap;
import java.util.Map;

/**
 * What a measured window cost: CPU time of one application's stream threads, of the whole benchmark
 * process (broker, nodes, participants, load) and of each of those parts, what each part allocated,
 * how the machine's cores spent it, what the Kafka clients did, and the garbage collector's pauses.
 */
record WindowCost(
    long processCpuNanos,
    Map<ThreadsByPart.Part, Long> cpuByPart,
    Map<ThreadsByPart.Part, Long> allocatedByPart,
    MachineTime.Share machine,
    ClientTotals clients,
    GcPauses gc) {

  /** The figures at a window's start. */
  record Start(
      String prefix,
      ThreadsByPart.Snapshot threads,
      MachineTime machine,
      ClientTotals clients,
      GcPauses gc) {

    WindowCost end() {
      ThreadsByPart.Snapshot now = ThreadsByPart.Snapshot.now();
      return new WindowCost(
          now.process() < 0 || threads.process() < 0 ? -1 : now.process() - threads.process(),
          ThreadsByPart.cpuBetween(threads, now, app(prefix), prefix),
          ThreadsByPart.allocatedBetween(threads, now, app(prefix), prefix),
          MachineTime.now().since(machine),
          ClientTotals.now(app(prefix)).since(clients),
          GcPauses.now().since(gc));
    }
  }

  /**
   * Starts measuring a window whose topics, participants and clients are named from {@code prefix}
   * and whose Kafka Streams application id is {@code prefix + "app"}.
   */
  static Start start(String prefix) {
    return new Start(
        prefix,
        ThreadsByPart.Snapshot.now(),
        MachineTime.now(),
        ClientTotals.now(app(prefix)),
        GcPauses.now());
  }

  /** The application id of the window's nodes (or harness). */
  static String app(String prefix) {
    return prefix + "app";
  }

  /** CPU nanoseconds of the application's stream threads. */
  long streamCpuNanos() {
    return cpuByPart.get(ThreadsByPart.Part.STREAM_THREADS);
  }

  double streamMicrosPer(long units) {
    return units == 0 ? Double.NaN : streamCpuNanos() / 1000.0 / units;
  }

  /** Each part's CPU microseconds per unit of work. */
  Map<ThreadsByPart.Part, Double> microsPerByPart(long units) {
    return perUnit(cpuByPart, 1000.0, units);
  }

  /** Each part's heap allocation in kilobytes (1000 bytes) per unit of work. */
  Map<ThreadsByPart.Part, Double> kilobytesPerByPart(long units) {
    return perUnit(allocatedByPart, 1000.0, units);
  }

  private static Map<ThreadsByPart.Part, Double> perUnit(
      Map<ThreadsByPart.Part, Long> byPart, double scale, long units) {
    Map<ThreadsByPart.Part, Double> perUnit = new EnumMap<>(ThreadsByPart.Part.class);
    byPart.forEach(
        (part, amount) -> perUnit.put(part, units == 0 ? Double.NaN : amount / scale / units));
    return perUnit;
  }

  double processMicrosPer(long units) {
    return units == 0 || processCpuNanos < 0 ? Double.NaN : processCpuNanos / 1000.0 / units;
  }
}
