package io.sagastream.topology;

import io.sagastream.contracts.v1.DeadLetterReason;

/** What the topology counts; the service binds these to its metrics registry. */
public interface SagaMetrics {

  void deadLettered(DeadLetterReason reason);

  /** A journal event of an instance of {@code definition} was published (SagaStarted, ...). */
  void journaled(String definition, String event);

  void incidentRaised();

  void redriven();

  /** A reply or message on the wrong partition was forwarded to the right one. */
  void rerouted();

  /** A timer fired {@code lateMillis} after it was due. */
  void timerFired(long lateMillis);

  SagaMetrics NONE =
      new SagaMetrics() {
        @Override
        public void deadLettered(DeadLetterReason reason) {}

        @Override
        public void journaled(String definition, String event) {}

        @Override
        public void incidentRaised() {}

        @Override
        public void redriven() {}

        @Override
        public void rerouted() {}

        @Override
        public void timerFired(long lateMillis) {}
      };
}
