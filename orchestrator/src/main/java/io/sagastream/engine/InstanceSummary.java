package io.sagastream.engine;

import java.time.Instant;

/**
 * What the recovery scan needs of an instance: enough to count it, to tell whether it ended long
 * ago and whether it is stuck. The store can give it without reading the instance's data, history
 * and the rest, which a scan over days of ended instances would otherwise decode one by one.
 *
 * @param earliestTimerDue when the instance's next timer is due, or null when it has none
 */
public record InstanceSummary(
    String definitionName,
    int definitionVersion,
    SagaStatus status,
    Instant updatedAt,
    Instant earliestTimerDue) {

  public static InstanceSummary of(SagaInstance instance) {
    Instant earliest = null;
    for (Timer timer : instance.timers()) {
      earliest = earliest == null || timer.dueAt().isBefore(earliest) ? timer.dueAt() : earliest;
    }
    return new InstanceSummary(
        instance.definitionName(),
        instance.definitionVersion(),
        instance.status(),
        instance.updatedAt(),
        earliest);
  }

  /**
   * Whether the saga ended before {@code cutoff}: such an instance has nothing left to do, and once
   * past the retention only the journal needs to remember it.
   */
  public boolean endedBefore(Instant cutoff) {
    return status.isTerminal() && updatedAt.isBefore(cutoff);
  }

  /**
   * Open with no progress since {@code stale}, and no timer, or one that should have fired long
   * before and so was lost: a lost step timeout or receive timeout leaves the saga stuck even when
   * its deadline is days away. A waiting instance without timers waits for its message, however
   * long it takes. A failed one waits for an operator, which no re-drive replaces.
   */
  public boolean stuckSince(Instant stale) {
    boolean waitsForever = status == SagaStatus.WAITING && earliestTimerDue == null;
    return !status.isTerminal()
        && status != SagaStatus.FAILED
        && !waitsForever
        && updatedAt.isBefore(stale)
        && (earliestTimerDue == null || earliestTimerDue.isBefore(stale));
  }
}
