package io.sagastream.bench;

import java.lang.management.ManagementFactory;

/** CPU time of this whole process: broker, nodes, participants, load generator, journal reader. */
final class Cpu {

  private Cpu() {}

  /** CPU nanoseconds used so far by this whole process, or -1 where the JVM cannot tell. */
  static long process() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }
}
