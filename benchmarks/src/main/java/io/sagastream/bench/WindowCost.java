package io.sagastream.bench;

import java.util.EnumMap;
import java.util.Map;

/**
 * What a measured window cost: CPU time of one application's stream threads, of the whole benchmark
 * process (broker, nodes, participants, load) and of each of those parts, how the machine's cores
 * spent it, what the Kafka clients did, and the garbage collector's pauses.
 */
record WindowCost(
    long processCpuNanos,
    Map<CpuByPart.Part, Long> cpuByPart,
    MachineTime.Share machine,
    ClientTotals clients,
    GcPauses gc) {

  /** The figures at a window's start. */
  record Start(
      String prefix,
      CpuByPart.Snapshot threads,
      MachineTime machine,
      ClientTotals clients,
      GcPauses gc) {

    WindowCost end() {
      CpuByPart.Snapshot now = CpuByPart.Snapshot.now();
      Map<CpuByPart.Part, Long> parts = CpuByPart.between(threads, now, app(prefix), prefix);
      return new WindowCost(
          now.process() < 0 || threads.process() < 0 ? -1 : now.process() - threads.process(),
          parts,
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
        CpuByPart.Snapshot.now(),
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
    return cpuByPart.get(CpuByPart.Part.STREAM_THREADS);
  }

  double streamMicrosPer(long units) {
    return units == 0 ? Double.NaN : streamCpuNanos() / 1000.0 / units;
  }

  /** Each part's CPU microseconds per unit of work. */
  Map<CpuByPart.Part, Double> microsPerByPart(long units) {
    Map<CpuByPart.Part, Double> micros = new EnumMap<>(CpuByPart.Part.class);
    cpuByPart.forEach(
        (part, nanos) -> micros.put(part, units == 0 ? Double.NaN : nanos / 1000.0 / units));
    return micros;
  }

  double processMicrosPer(long units) {
    return units == 0 || processCpuNanos < 0 ? Double.NaN : processCpuNanos / 1000.0 / units;
  }
}
