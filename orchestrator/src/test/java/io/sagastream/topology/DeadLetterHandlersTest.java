package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.contracts.DeadLetterHeaders;
import io.sagastream.contracts.v1.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** What the exception handlers answer: whose fault a failure is decides it. */
class DeadLetterHandlersTest {

  private static final Map<String, Object> CONFIG =
      Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "saga.dead-letters");

  /** The input being processed when the failure came: a reply, read an hour ago. */
  private record Input(long timestamp) implements ErrorHandlerContext {
    @Override
    public String topic() {
      return "saga.replies";
    }

    @Override
    public int partition() {
      return 2;
    }

    @Override
    public long offset() {
      return 41;
    }

    @Override
    public Headers headers() {
      return new RecordHeaders();
    }

    @Override
    public String processorNodeId() {
      return TopologyNames.SAGA_PROCESSOR;
    }

    @Override
    public TaskId taskId() {
      return new TaskId(0, 2);
    }

    @Override
    public byte[] sourceRawKey() {
      return "order-1".getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] sourceRawValue() {
      return new byte[] {0, 0, 0, 0, 7};
    }
  }

  private static final Input INPUT = new Input(Instant.now().minusSeconds(3600).toEpochMilli());

  private static DeadLetterProductionExceptionHandler production() {
    DeadLetterProductionExceptionHandler handler = new DeadLetterProductionExceptionHandler();
    handler.configure(CONFIG);
    return handler;
  }

  private static ProducerRecord<byte[], byte[]> output(String topic) {
    return new ProducerRecord<>(topic, new byte[] {1}, new byte[] {2});
  }

  @Test
  void anOutputTheBrokerRefusesForGoodSendsTheInputToDeadLettersWithTheTimeItFailed() {
    // when a command is refused as too large
    var response =
        production()
            .handleError(
                INPUT, output("payment.commands"), new RecordTooLargeException("too large"));

    // then processing goes on, and the input is a dead letter naming its source and the failure
    assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords())
        .singleElement()
        .satisfies(
            deadLetter -> {
              assertThat(deadLetter.topic()).isEqualTo("saga.dead-letters");
              assertThat(header(deadLetter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("41");
              assertThat(Instant.parse(header(deadLetter, DeadLetterHeaders.FAILED_AT)))
                  .isAfter(Instant.now().minusSeconds(60));
            });
  }

  @Test
  void anOutputRefusedForNowIsTriedAgainNotDeadLettered() {
    var response =
        production()
            .handleError(
                INPUT, output("payment.commands"), new NotEnoughReplicasException("1 of 3"));

    assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
  }

  @Test
  void aChangelogRecordOrADeadLetterThatCannotBeWrittenFailsTheThread() {
    for (String topic :
        new String[] {"sagastream-orchestrator-saga-instances-changelog", "saga.dead-letters"}) {
      var response =
          production().handleError(INPUT, output(topic), new RecordTooLargeException("too large"));

      assertThat(response.result()).as(topic).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }
  }

  @Test
  void aStoreThatFailsWhileProcessingFailsTheThreadRatherThanDeadLetteringGoodInput() {
    // given the processing handler
    DeadLetterProcessingExceptionHandler handler = new DeadLetterProcessingExceptionHandler();
    handler.configure(CONFIG);
    Record<byte[], byte[]> record = new Record<>(INPUT.sourceRawKey(), INPUT.sourceRawValue(), 0L);

    // when a store write fails (a full disk), or the input itself cannot be processed
    var storeFailed =
        handler.handleError(
            INPUT,
            record,
            new IllegalStateException("put", new ProcessorStateException("No space left")));
    var inputFailed = handler.handleError(INPUT, record, new IllegalArgumentException("bad"));

    // then the first fails the thread, and only the second is a dead letter
    assertThat(storeFailed.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    assertThat(inputFailed.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    assertThat(inputFailed.deadLetterQueueRecords()).hasSize(1);
  }

  @Test
  void theHandlersDeadLettersAreCountedAsTheProcessorsAre() {
    // given both handlers, configured with the node's metrics
    List<DeadLetterReason> counted = new java.util.concurrent.CopyOnWriteArrayList<>();
    Map<String, Object> config = new java.util.HashMap<>(CONFIG);
    config.put(
        DeadLetters.METRICS_CONFIG,
        new SagaMetrics() {
          @Override
          public void deadLettered(DeadLetterReason reason) {
            counted.add(reason);
          }
        });
    DeadLetterProductionExceptionHandler production = new DeadLetterProductionExceptionHandler();
    production.configure(config);
    DeadLetterProcessingExceptionHandler processing = new DeadLetterProcessingExceptionHandler();
    processing.configure(config);

    // when each sends an input to dead letters
    production.handleError(INPUT, output("inventory.commands"), new RecordTooLargeException("big"));
    processing.handleError(
        INPUT,
        new Record<>(INPUT.sourceRawKey(), INPUT.sourceRawValue(), 0L),
        new IllegalArgumentException("bad"));

    // then both are counted, with their reasons
    assertThat(counted)
        .containsExactly(DeadLetterReason.PRODUCTION_FAILED, DeadLetterReason.PROCESSING_FAILED);
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
