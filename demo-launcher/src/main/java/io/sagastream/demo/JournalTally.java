package io.sagastream.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the journal says about the demo's sagas so far.
 *
 * @param started sagas with a SagaStarted event
 * @param completed sagas whose last terminal event is SagaCompleted
 * @param compensated ... SagaCompensated
 * @param failed ... SagaFailed (a compensation could not finish: an incident)
 * @param commands commands sent to participants (StepCommandSent), actions and compensations
 * @param retries retries scheduled (StepRetryScheduled)
 * @param timeouts attempts that timed out (StepTimedOut)
 * @param latencies from SagaStarted to the terminal event, of each ended saga, shortest first
 * @param firstStart when the first saga started
 * @param lastEvent when the newest event the tally has seen happened
 */
record JournalTally(
    int started,
    int completed,
    int compensated,
    int failed,
    long commands,
    long retries,
    long timeouts,
    List<Duration> latencies,
    Optional<Instant> firstStart,
    Optional<Instant> lastEvent) {

  static final JournalTally EMPTY =
      new JournalTally(0, 0, 0, 0, 0, 0, 0, List.of(), Optional.empty(), Optional.empty());

  int ended() {
    return completed + compensated + failed;
  }

  /** The latency below which {@code share} (0 to 1) of the ended sagas stayed (nearest rank). */
  Optional<Duration> latencyPercentile(double share) {
    if (latencies.isEmpty()) {
      return Optional.empty();
    }
    int rank = (int) Math.ceil(share * latencies.size());
    return Optional.of(latencies.get(Math.max(0, Math.min(latencies.size(), rank) - 1)));
  }

  /** Commands to participants per second, from the first start to the newest event. */
  double commandsPerSecond() {
    if (firstStart.isEmpty() || lastEvent.isEmpty()) {
      return 0;
    }
    long millis = Duration.between(firstStart.get(), lastEvent.get()).toMillis();
    return millis <= 0 ? 0 : commands * 1000.0 / millis;
  }
}
