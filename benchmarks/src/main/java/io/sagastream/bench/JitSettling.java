package io.sagastream.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Waits, once a window's warm-up is over, until the JIT compiler is nearly idle. New nodes start
 * new clients and stream threads, and C2 then compiled for 40 s or more here (4,000 methods, with
 * {@code -XX:+PrintCompilation}, most in Kafka's client and broker code), taking a quarter of the
 * machine in a peak window that opened 15 s in. A window measured then says more about the compiler
 * than about Sagastream.
 */
final class JitSettling {

  private static final Duration SAMPLE = Duration.ofSeconds(5);

  /** Compiler time per wall-clock time below which the JIT counts as settled: 5% of a core. */
  private static final double QUIET_SHARE = 0.05;

  private static final Duration LONGEST = Duration.ofSeconds(60);

  private JitSettling() {}

  /** Returns how long it waited: nothing if compile time is not measured in this JVM. */
  static Duration await() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return Duration.ZERO;
    }
    long begun = System.nanoTime();
    Duration waited = Duration.ZERO;
    while (waited.compareTo(LONGEST) < 0) {
      long compiledBefore = jit.getTotalCompilationTime();
      BenchContext.sleep(SAMPLE.toMillis());
      long compiling = jit.getTotalCompilationTime() - compiledBefore;
      waited = Duration.ofNanos(System.nanoTime() - begun);
      if (compiling < SAMPLE.toMillis() * QUIET_SHARE) {
        break;
      }
    }
    return waited;
  }
}
