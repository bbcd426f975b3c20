package io.sagastream.topology;

import io.sagastream.codec.InstanceCodec;
import java.time.Duration;

/**
 * How often the punctuators run and how much they do.
 *
 * @param timerInterval how often due timers are fired (wall-clock time)
 * @param recoveryInterval how often the recovery scan runs
 * @param recoveryAge how long an open instance may go without progress and with nothing pending
 *     before the recovery scan re-drives it
 * @param endedRetention how long an ended instance stays in the instance store, for the API and the
 *     console, before the recovery scan removes it (the journal keeps its history)
 * @param maxTimersPerRun how many due timers one run fires at most, so a backlog does not stall the
 *     task
 * @param inboxTimeToLive how long a message waits in the inbox when its {@code ttl} header does not
 *     say
 * @param instanceFormat how instances are written to the instance store (either is read)
 */
public record TopologySettings(
    Duration timerInterval,
    Duration recoveryInterval,
    Duration recoveryAge,
    Duration endedRetention,
    int maxTimersPerRun,
    Duration inboxTimeToLive,
    InstanceCodec.Format instanceFormat) {

  /**
   * Refuses settings no task could run with at start, naming the setting: a zero timer interval,
   * say, made every task's start throw, and its thread was replaced over and over.
   */
  public TopologySettings {
    positive("SAGASTREAM_TIMER_INTERVAL", timerInterval);
    positive("SAGASTREAM_RECOVERY_INTERVAL", recoveryInterval);
    positive("SAGASTREAM_RECOVERY_AGE", recoveryAge);
    positive("SAGASTREAM_ENDED_RETENTION", endedRetention);
    positive("the inbox's time to live", inboxTimeToLive);
    if (maxTimersPerRun < 1) {
      throw new IllegalArgumentException(
          "the timers fired per run must be at least 1, not " + maxTimersPerRun);
    }
  }

  private static void positive(String setting, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive, not " + value);
    }
  }

  public static TopologySettings defaults() {
    return new TopologySettings(
        Duration.ofMillis(100),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofDays(7),
        // About 60 ms of the stream thread (a fired timer is a step): a backlog of timers after a
        // takeover or an outage drains at up to 10,000 per second per task without holding the
        // task's other input, or a rebalance, for long. 10,000 per run held it for over half a
        // second.
        1_000,
        Duration.ofHours(1),
        InstanceCodec.Format.BINARY);
  }
}
