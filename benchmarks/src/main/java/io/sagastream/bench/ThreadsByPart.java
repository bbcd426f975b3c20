package io.sagastream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time and heap allocation of this process by the part of the benchmark that spent them, from
 * each thread's figures and name: the whole process's CPU per step says that a step costs too much,
 * this says where; and since every part shares one heap, the allocation says whose garbage the
 * collector's pauses (which stop every part) are mostly collecting. The JVM's own threads (garbage
 * collector, JIT compiler) are not visible as Java threads; their CPU is what the process spent
 * beyond its visible threads, and they allocate no Java objects.
 */
final class ThreadsByPart {

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

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+$");

  /**
   * Each live thread's CPU nanoseconds and allocated bytes so far, and the whole process's CPU
   * nanoseconds.
   */
  record Snapshot(
      Map<Long, Long> cpuByThread,
      Map<Long, Long> allocatedByThread,
      Map<Long, String> names,
      long process) {

    static Snapshot now() {
      Map<Long, Long> cpu = new HashMap<>();
      Map<Long, Long> allocated = new HashMap<>();
      Map<Long, String> names = new HashMap<>();
      for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long id = info.getThreadId();
        long nanos = THREADS.getThreadCpuTime(id);
        if (nanos >= 0) {
          cpu.put(id, nanos);
          allocated.put(id, Math.max(0, THREADS.getThreadAllocatedBytes(id)));
          names.put(id, info.getThreadName());
        }
      }
      return new Snapshot(cpu, allocated, names, Cpu.process());
    }
  }

  private ThreadsByPart() {}

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
  static Map<Part, Long> cpuBetween(Snapshot start, Snapshot end, String app, String prefix) {
    Map<Part, Long> spent = byPart(start.cpuByThread(), end.cpuByThread(), end, app, prefix);
    long visible = spent.values().stream().mapToLong(Long::longValue).sum();
    if (start.process() >= 0 && end.process() >= 0) {
      spent.put(Part.JVM, Math.max(0, end.process() - start.process() - visible));
    }
    return spent;
  }

  /**
   * Bytes each part allocated on the heap between two snapshots (the JVM's part is 0). A thread
   * that ended in between is not counted.
   */
  static Map<Part, Long> allocatedBetween(Snapshot start, Snapshot end, String app, String prefix) {
    return byPart(start.allocatedByThread(), end.allocatedByThread(), end, app, prefix);
  }

  private static Map<Part, Long> byPart(
      Map<Long, Long> before, Map<Long, Long> after, Snapshot end, String app, String prefix) {
    Map<Part, Long> spent = new EnumMap<>(Part.class);
    for (Part part : Part.values()) {
      spent.put(part, 0L);
    }
    for (Map.Entry<Long, Long> thread : after.entrySet()) {
      long used = thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
      if (used > 0) {
        spent.merge(of(end.names().get(thread.getKey()), app, prefix), used, Long::sum);
      }
    }
    return spent;
  }
}
