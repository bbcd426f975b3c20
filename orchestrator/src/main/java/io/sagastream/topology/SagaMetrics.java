package io.sagastream.topology;

import io.sagastream.contracts.v1.DeadLetterReason;
import java.time.Duration;

/**
 * What the topology counts; the service binds these to its metrics registry. Every method does
 * nothing unless overridden, so that a binding (or a test) takes only what it needs.
 */
public interface SagaMetrics {

  default void deadLettered(DeadLetterReason reason) {}

  /** A journal event of an instance of {@code definition} was published (SagaStarted, ...). */
  default void journaled(String definition, String event) {}

  default void incidentRaised() {}

  default void redriven() {}

  /** A reply or message on the wrong partition was forwarded to the right one. */
  default void rerouted() {}

  /** A timer fired {@code lateMillis} after it was due. */
  default void timerFired(long lateMillis) {}

  /**
   * A reply to a command of {@code step} ({@code kind} action or compensation) came {@code
   * roundTrip} after the command was sent.
   */
  default void stepReplied(
      String definition, String step, String kind, String outcome, Duration roundTrip) {}

  /** A message kept in the inbox expired before any saga took it. */
  default void inboxExpired() {}

  /** One saga's timer or re-drive failed in a punctuation; the rest went on. */
  default void punctuationFailed() {}

  /** The recovery scan removed {@code count} instances that ended longer ago than the retention. */
  default void endedRemoved(int count) {}

  /** The recovery scan of {@code task} took {@code took}, re-drove {@code redriven} instances. */
  default void recoveryScanned(String task, Duration took, int redriven, TaskCensus census) {}

  /** {@code task} moved away or closed: its census no longer counts here. */
  default void taskClosed(String task) {}

  SagaMetrics NONE = new SagaMetrics() {};
}
