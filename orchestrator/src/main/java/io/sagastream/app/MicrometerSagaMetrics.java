package io.sagastream.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sagastream.contracts.v1.DeadLetterReason;
import io.sagastream.topology.SagaMetrics;
import jakarta.inject.Singleton;
import java.time.Duration;

/** The topology's counts as Micrometer meters, scraped at /prometheus. */
@Singleton
final class MicrometerSagaMetrics implements SagaMetrics {

  private final MeterRegistry registry;
  private final Timer timerLateness;

  MicrometerSagaMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.timerLateness =
        Timer.builder("sagastream.timer.lateness")
            .description("How long after its due time a timer fired")
            .publishPercentileHistogram()
            .register(registry);
  }

  @Override
  public void deadLettered(DeadLetterReason reason) {
    registry.counter("sagastream.dead.letters", "reason", reason.name()).increment();
  }

  @Override
  public void journaled(String definition, String event) {
    registry
        .counter("sagastream.saga.events", "definition", definition, "event", event)
        .increment();
  }

  @Override
  public void incidentRaised() {
    registry.counter("sagastream.incidents").increment();
  }

  @Override
  public void redriven() {
    registry.counter("sagastream.recovery.redriven").increment();
  }

  @Override
  public void rerouted() {
    registry.counter("sagastream.rerouted").increment();
  }

  @Override
  public void timerFired(long lateMillis) {
    timerLateness.record(Duration.ofMillis(Math.max(0, lateMillis)));
  }
}
