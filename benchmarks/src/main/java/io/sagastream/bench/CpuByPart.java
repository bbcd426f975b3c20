package io.sagastream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time of this process by the part of the benchmark that spent it, from each thread's CPU time
 * and name: the whole process's CPU per step says that a step costs too much, this says where. The
 * JVM's own threads (garbage collector, JIT compiler) are not visible as Java threads; they are
 * what the process spent beyond its visible threads.
 */
final class CpuByPart {

  /** The parts, in the order the report gives them. */
  enum Part {
    STREAM_THREADS("node stream threads"),
    NODE_OTHER("nodes' other threads (producer I/O, heartbeats, state updater)"),
    BROKER("broker (and the rest of the process)"),
    PARTICIPANTS("participants"),
    LOAD_AND_JOURNAL("load generator and journal reader"),
    JVM("JVM (garbage collector, JIT compiler)");

    private final String description;

    Part(String description) {
      this.description = description;
    }

    String description() {
      return description;
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+$");

  /** Each live thread's CPU nanoseconds so far, and the whole process's. */
  record Snapshot(Map<Long, Long> cpuByThread, Map<Long, String> names, long process) {

    static Snapshot now() {
      Map<Long, Long> cpu = new HashMap<>();
      Map<Long, String> names = new HashMap<>();
      for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long nanos = THREADS.getThreadCpuTime(info.getThreadId());
        if (nanos >= 0) {
          cpu.put(info.getThreadId(), nanos);
          names.put(info.getThreadId(), info.getThreadName());
        }
      }
      return new Snapshot(cpu, names, Cpu.process());
    }
  }

  private CpuByPart() {}

  /**
   * The part a thread belongs to, by its name: the nodes' threads carry the application id {@code
   * app} in their names, the participants' (and the harness's echo loops') the window's topic
   * {@code prefix}.
   */
  static Part of(String thread, String app, String prefix) {
    if (thread.startsWith(app) && STREAM_THREAD.matcher(thread).matches()) {
      return Part.STREAM_THREADS;
    }
    if (thread.contains(app)) {
      return Part.NODE_OTHER;
    }
    if (thread.contains(prefix)) {
      return Part.PARTICIPANTS;
    }
    if (thread.contains(SagaLoad.THREAD) || thread.contains(Journal.THREAD)) {
      return Part.LOAD_AND_JOURNAL;
    }
    return Part.BROKER;
  }

  /**
   * CPU nanoseconds each part spent between two snapshots. A thread started in between counts from
   * zero; one that ended in between is counted with the JVM's (in a window under load, none of the
   * busy ones do).
   */
  static Map<Part, Long> between(Snapshot start, Snapshot end, String app, String prefix) {
    Map<Part, Long> spent = new EnumMap<>(Part.class);
    for (Part part : Part.values()) {
      spent.put(part, 0L);
    }
    long visible = 0;
    for (Map.Entry<Long, Long> thread : end.cpuByThread().entrySet()) {
      long used = thread.getValue() - start.cpuByThread().getOrDefault(thread.getKey(), 0L);
      if (used <= 0) {
        continue;
      }
      visible += used;
      spent.merge(of(end.names().get(thread.getKey()), app, prefix), used, Long::sum);
    }
    if (start.process() >= 0 && end.process() >= 0) {
      spent.put(Part.JVM, Math.max(0, end.process() - start.process() - visible));
    }
    return spent;
  }
}
