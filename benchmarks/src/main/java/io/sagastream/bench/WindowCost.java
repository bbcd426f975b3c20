package io.sagastream.bench;

/**
 * What a measured window cost: CPU time of one application's stream threads, of the whole benchmark
 * process (broker, nodes, participants, load), how the machine's cores spent it, what the Kafka
 * clients did, and the garbage collector's pauses.
 */
record WindowCost(
    long streamCpuNanos,
    long processCpuNanos,
    MachineTime.Share machine,
    ClientTotals clients,
    GcPauses gc) {

  /** The figures at a window's start. */
  record Start(
      String app,
      long streamCpuNanos,
      long processCpuNanos,
      MachineTime machine,
      ClientTotals clients,
      GcPauses gc) {

    WindowCost end() {
      long process = Cpu.process();
      return new WindowCost(
          Cpu.streamThreads(app) - streamCpuNanos,
          process < 0 || processCpuNanos < 0 ? -1 : process - processCpuNanos,
          MachineTime.now().since(machine),
          ClientTotals.now(app).since(clients),
          GcPauses.now().since(gc));
    }
  }

  /** Starts measuring the window of the application whose stream threads' names begin with app. */
  static Start start(String app) {
    return new Start(
        app,
        Cpu.streamThreads(app),
        Cpu.process(),
        MachineTime.now(),
        ClientTotals.now(app),
        GcPauses.now());
  }

  double streamMicrosPer(long units) {
    return units == 0 ? Double.NaN : streamCpuNanos / 1000.0 / units;
  }

  double processMicrosPer(long units) {
    return units == 0 || processCpuNanos < 0 ? Double.NaN : processCpuNanos / 1000.0 / units;
  }
}
