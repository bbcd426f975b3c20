package io.sagastream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

  @Test
  void withoutATransactionTimeoutTheProducerGetsTenSecondsAndBatchesFiveSeconds() {
    // given settings that say nothing of timeouts
    WorkerSettings settings = settings(Map.of(), Map.of());

    // when the producer is configured
    Map<String, Object> producer = settings.producerConfig();

    // then a killed worker's open transaction blocks the replies partitions for 10 s, not 60 s
    assertThat(producer).containsEntry("transaction.timeout.ms", 10_000);
    assertThat(settings.batchTimeBudget()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.batchTimeBudgetBound()).isEqualTo("half the transaction timeout");
  }

  @Test
  void aTeamsOwnTransactionTimeoutIsKeptAndSetsTheBatchBudget() {
    // given a team that needs longer transactions
    WorkerSettings settings = settings(Map.of(), Map.of("transaction.timeout.ms", "30000"));

    // when the producer is configured
    Map<String, Object> producer = settings.producerConfig();

    // then its value stands, and a batch gets half of it
    assertThat(producer).containsEntry("transaction.timeout.ms", "30000");
    assertThat(settings.batchTimeBudget()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void aPollIntervalShorterThanTheTransactionTimeoutIsNamedAsTheBatchBudgetsBound() {
    // given a poll interval of 4 s, under the default transaction timeout
    WorkerSettings settings = settings(Map.of("max.poll.interval.ms", 4000), Map.of());

    // when the batch budget is worked out
    Duration budget = settings.batchTimeBudget();

    // then it is half the poll interval, and the log is told so
    assertThat(budget).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.batchTimeBudgetBound()).isEqualTo("half of max.poll.interval.ms");
  }

  private static WorkerSettings settings(
      Map<String, Object> consumer, Map<String, Object> producer) {
    return new WorkerSettings(
        "localhost:9092",
        "inventory",
        "instance-1",
        consumer,
        producer,
        Duration.ofMillis(500),
        Duration.ofSeconds(30));
  }
}
