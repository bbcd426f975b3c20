package io.sagastream.samples;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts something that needs Kafka and the registry, and tries again while they cannot be reached
 * or refuse it, with a pause that doubles up to a cap. A participant deployed beside a Kafka or a
 * registry that is still coming up (or whose credentials or ACLs are still being put right) thus
 * waits for them, instead of exiting and being restarted over and over.
 */
final class PatientStart {

  private static final Logger LOG = LoggerFactory.getLogger(PatientStart.class);

  private PatientStart() {}

  /**
   * What {@code start} returns once it does not throw. Each failure is logged with its reason; an
   * interrupt (the process is being stopped) ends the waiting.
   */
  static <T> T start(String what, Supplier<T> start, Duration firstPause, Duration maxPause)
      throws InterruptedException {
    Duration pause = firstPause;
    for (int tries = 1; ; tries++) {
      try {
        return start.get();
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("stopped while starting " + what);
        }
        LOG.error(
            "Cannot start {} yet ({}; tried {} time(s)); trying again in {} ms",
            what,
            reason(e),
            tries,
            pause.toMillis());
      }
      Thread.sleep(pause.toMillis());
      Duration doubled = pause.multipliedBy(2);
      pause = doubled.compareTo(maxPause) > 0 ? maxPause : doubled;
    }
  }

  /**
   * The failure and, where Kafka's client wraps it, what it wraps: that is what says what to fix.
   */
  static String reason(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == failure ? failure.toString() : failure + ", caused by " + root;
  }
}
