package io.sagastream.bench;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

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

  /**
   * This window's cost and that of a node in a JVM of its own, as one: the node's process counts
   * with this one, its threads that are neither stream threads nor named for its application
   * (Micronaut's, Netty's) with the nodes' other threads, and its collector's pauses with this
   * process's. The machine's share is this process's reading, which already covers the node.
   */
  WindowCost plus(WindowCost node) {
    Map<ThreadsByPart.Part, Long> cpu = new EnumMap<>(cpuByPart);
    node.cpuByPart.forEach((part, nanos) -> cpu.merge(asNodePart(part), nanos, Long::sum));
    Map<ThreadsByPart.Part, Long> allocated = new EnumMap<>(allocatedByPart);
    node.allocatedByPart.forEach(
        (part, bytes) -> allocated.merge(asNodePart(part), bytes, Long::sum));
    return new WindowCost(
        processCpuNanos < 0 || node.processCpuNanos < 0
            ? -1
            : processCpuNanos + node.processCpuNanos,
        cpu,
        allocated,
        machine,
        clients.plus(node.clients),
        gc.plus(node.gc));
  }

  /** In a node's own JVM, what is not the node's is still the node's process, not a broker. */
  private static ThreadsByPart.Part asNodePart(ThreadsByPart.Part part) {
    return part == ThreadsByPart.Part.BROKER ? ThreadsByPart.Part.NODE_OTHER : part;
  }

  /** One line that {@link #decode} reads back, for a node's JVM to hand its cost over. */
  String encode() {
    return String.join(
        " ",
        Long.toString(processCpuNanos),
        partsText(cpuByPart),
        partsText(allocatedByPart),
        clients.encode(),
        gc.count() + "," + gc.millis());
  }

  /** A cost from {@link #encode}'s line; the machine's share is not in it. */
  static WindowCost decode(String line) {
    String[] fields = line.trim().split(" ");
    if (fields.length != 5) {
      throw new IllegalArgumentException("Not a window's cost: " + line);
    }
    String[] gc = fields[4].split(",");
    return new WindowCost(
        Long.parseLong(fields[0]),
        parts(fields[1]),
        parts(fields[2]),
        MachineTime.Share.UNKNOWN,
        ClientTotals.decode(fields[3]),
        new GcPauses(Long.parseLong(gc[0]), Long.parseLong(gc[1])));
  }

  private static String partsText(Map<ThreadsByPart.Part, Long> byPart) {
    return Arrays.stream(ThreadsByPart.Part.values())
        .map(part -> Long.toString(byPart.getOrDefault(part, 0L)))
        .collect(Collectors.joining(","));
  }

  private static Map<ThreadsByPart.Part, Long> parts(String text) {
    String[] values = text.split(",");
    ThreadsByPart.Part[] parts = ThreadsByPart.Part.values();
    if (values.length != parts.length) {
      throw new IllegalArgumentException("Not one figure per part: " + text);
    }
    Map<ThreadsByPart.Part, Long> byPart = new EnumMap<>(ThreadsByPart.Part.class);
    for (int i = 0; i < parts.length; i++) {
      byPart.put(parts[i], Long.parseLong(values[i]));
    }
    return byPart;
  }

  double processMicrosPer(long units) {
    return units == 0 || processCpuNanos < 0 ? Double.NaN : processCpuNanos / 1000.0 / units;
  }
}
