package io.sagastream.worker;

import static io.sagastream.testing.TopicIo.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.contracts.SagaHeaders;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CommandDispatcherTest {

  private static final String TOPIC = "inventory.commands";

  @Test
  void aRejectionWrappedInACompletionExceptionIsAFailureReply() {
    // given a handler that waits on a future that was refused
    CommandHandler<String> handler =
        (command, context) -> CompletableFuture.<Reply>failedFuture(outOfStock()).join();

    // when it handles a command
    ProducerRecord<byte[], byte[]> reply = dispatch(handler);

    // then the step fails for good, with the refusal's code and message
    assertThat(header(reply.headers(), SagaHeaders.OUTCOME)).isEqualTo(SagaHeaders.OUTCOME_FAILURE);
    assertThat(header(reply.headers(), SagaHeaders.ERROR_CODE)).isEqualTo("OUT_OF_STOCK");
    assertThat(header(reply.headers(), SagaHeaders.ERROR_MESSAGE)).isEqualTo("sku-1 is gone");
  }

  @Test
  void aRejectionWrappedTwiceInExecutionAndUndeclaredThrowableExceptionsIsAFailureReply() {
    // given a handler, called through a proxy, whose refusal came from another thread
    CommandHandler<String> handler =
        (command, context) -> {
          throw new UndeclaredThrowableException(
              new ExecutionException("the reservation failed", outOfStock()));
        };

    // when it handles a command
    ProducerRecord<byte[], byte[]> reply = dispatch(handler);

    // then the step fails for good
    assertThat(header(reply.headers(), SagaHeaders.OUTCOME)).isEqualTo(SagaHeaders.OUTCOME_FAILURE);
    assertThat(header(reply.headers(), SagaHeaders.ERROR_CODE)).isEqualTo("OUT_OF_STOCK");
  }

  @Test
  @Timeout(10)
  void anExceptionWhoseCausesLoopWithoutARejectionIsARetryableFailureReply() {
    // given a handler that throws an exception whose chain of causes comes back to itself
    CommandHandler<String> handler =
        (command, context) -> {
          throw new LoopingException();
        };

    // when it handles a command
    ProducerRecord<byte[], byte[]> reply = dispatch(handler);

    // then the dispatcher does not go round the loop, and the attempt is retried
    assertThat(header(reply.headers(), SagaHeaders.OUTCOME))
        .isEqualTo(SagaHeaders.OUTCOME_RETRYABLE_FAILURE);
    assertThat(header(reply.headers(), SagaHeaders.ERROR_CODE))
        .isEqualTo(LoopingException.class.getName());
  }

  @Test
  void aRejectionDeeperThanTheWalkedChainIsNotFound() {
    // given a refusal wrapped twenty times
    Throwable thrown = outOfStock();
    for (int i = 0; i < 20; i++) {
      thrown = new CompletionException(thrown);
    }

    // when the dispatcher looks for it
    Optional<CommandRejectedException> found = CommandDispatcher.rejectionIn(thrown);

    // then the walk gave up before reaching it
    assertThat(found).isEmpty();
  }

  private static CommandRejectedException outOfStock() {
    return new CommandRejectedException("OUT_OF_STOCK", "sku-1 is gone");
  }

  private static ProducerRecord<byte[], byte[]> dispatch(CommandHandler<String> handler) {
    CountingWorkerMetrics metrics = new CountingWorkerMetrics(Set.of(TOPIC));
    CommandDispatcher dispatcher =
        new CommandDispatcher(
            Map.of(TOPIC, new Subscription<>((topic, bytes) -> "reserve sku-1", handler)),
            (topic, value) -> {
              throw new AssertionError("no reply here carries a value");
            },
            metrics,
            1_048_576);
    return dispatcher.dispatch(command(), metrics.tally()).orElseThrow();
  }

  private static ConsumerRecord<byte[], byte[]> command() {
    RecordHeaders headers = new RecordHeaders();
    Map.of(
            SagaHeaders.SAGA_ID, "s-1",
            SagaHeaders.SAGA_NAME, "order-fulfilment",
            SagaHeaders.SAGA_STEP, "reserve-stock",
            SagaHeaders.SAGA_KIND, SagaHeaders.KIND_ACTION,
            SagaHeaders.COMMAND_ID, "c-1",
            SagaHeaders.ATTEMPT, "1",
            SagaHeaders.REPLY_TO, "saga.replies")
        .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
    return new ConsumerRecord<>(
        TOPIC,
        0,
        7,
        0L,
        TimestampType.CREATE_TIME,
        0,
        0,
        "order-1".getBytes(StandardCharsets.UTF_8),
        new byte[] {0},
        headers,
        Optional.empty());
  }

  /** An exception that is its own cause's cause, as a buggy library may build. */
  private static final class LoopingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RuntimeException inner = new IllegalStateException("inner", this);

    @Override
    public synchronized Throwable getCause() {
      return inner;
    }
  }
}
