package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sagastream.topology.TaskCensus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MicrometerSagaMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerSagaMetrics metrics =
      new MicrometerSagaMetrics(registry, new RecentActivity());

  @Test
  void journalEventsAreCountedByDefinitionAndEventOnTheSameMeterEachTime() {
    // when events of two definitions are journaled, one of them twice
    metrics.journaled("order", "StepCommandSent");
    metrics.journaled("order", "StepCommandSent");
    metrics.journaled("refund", "StepCommandSent");
    metrics.journaled("order", "StepRetryScheduled");

    // then each definition and event has its own count, and retries are counted beside
    assertThat(events("order", "StepCommandSent")).isEqualTo(2.0);
    assertThat(events("refund", "StepCommandSent")).isEqualTo(1.0);
    assertThat(events("order", "StepRetryScheduled")).isEqualTo(1.0);
    assertThat(registry.get("sagastream.step.retries").tag("definition", "order").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void roundTripsAreTimedPerStepKindAndOutcome() {
    // when one step is answered twice with success and once with failure
    metrics.stepReplied("order", "charge", "action", "success", Duration.ofMillis(100));
    metrics.stepReplied("order", "charge", "action", "success", Duration.ofMillis(300));
    metrics.stepReplied("order", "charge", "action", "failure", Duration.ofMillis(-5));

    // then the successes share one timer, and a negative round trip counts as none
    var successes = registry.get("sagastream.step.round.trip").tag("outcome", "success").timer();
    assertThat(successes.count()).isEqualTo(2);
    assertThat(successes.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(400.0);
    var failures = registry.get("sagastream.step.round.trip").tag("outcome", "failure").timer();
    assertThat(failures.count()).isEqualTo(1);
    assertThat(failures.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isZero();
  }

  @Test
  void theLastScansReDrivenCountAddsUpTheTasksNotTheLastTaskAlone() {
    // given two tasks whose latest scans re-drove 40 and 0 sagas, the second finishing last
    TaskCensus empty = new TaskCensus(Map.of(), 0, 0, Map.of());
    metrics.recoveryScanned("0_1", Duration.ofMillis(5), 40, empty);
    metrics.recoveryScanned("0_2", Duration.ofMillis(5), 0, empty);

    // then the gauge shows the 40, until the task that re-drove them moves away
    assertThat(redrivenLast()).isEqualTo(40.0);
    metrics.taskClosed("0_1");
    assertThat(redrivenLast()).isZero();
  }

  private double redrivenLast() {
    return registry.get("sagastream.recovery.redriven.last").gauge().value();
  }

  private double events(String definition, String event) {
    return registry
        .get("sagastream.saga.events")
        .tag("definition", definition)
        .tag("event", event)
        .counter()
        .count();
  }
}
