package io.sagastream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.regex.Pattern;

/**
 * CPU time of this process's stream threads of one Kafka Streams application: a figure that other
 * work on a busy machine disturbs less than throughput, since it counts only the thread's own time
 * on a core.
 */
final class Cpu {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+$");

  private Cpu() {}

  /** CPU nanoseconds used so far by the live stream threads whose name starts with {@code app}. */
  static long streamThreads(String app) {
    long total = 0;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null
          && info.getThreadName().startsWith(app)
          && STREAM_THREAD.matcher(info.getThreadName()).matches()) {
        long cpu = THREADS.getThreadCpuTime(info.getThreadId());
        if (cpu > 0) {
          total += cpu;
        }
      }
    }
    return total;
  }

  /** CPU nanoseconds used so far by this whole process (broker, participants, nodes, ...). */
  static long process() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }
}
