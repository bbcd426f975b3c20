package io.sagastream.worker;

import static io.sagastream.testing.TopicIo.header;
import static io.sagastream.worker.TestOrchestrator.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.worker.testing.ReleaseStock;
import io.sagastream.worker.testing.ReserveStock;
import io.sagastream.worker.testing.StockReserved;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a worker answers for what its handler does, through a real broker and registry. */
@RealInfrastructure
class SagaWorkerRepliesIT {

  private SchemaRegistry registry;
  private TestOrchestrator orchestrator;
  private Workers workers;
  private String prefix;
  private String reserveTopic;

  @BeforeEach
  void connect(KafkaCluster kafka, SchemaRegistryServer server) {
    registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    prefix = TestOrchestrator.uniquePrefix();
    orchestrator = new TestOrchestrator(kafka, registry, prefix + "saga.replies");
    reserveTopic = prefix + "inventory.reserve";
    orchestrator.createCommandTopic(reserveTopic);
    workers = new Workers(kafka, registry);
  }

  @AfterEach
  void closeWorkers() {
    workers.close();
  }

  @Test
  void aHandledCommandIsAnsweredWithItsTypedReplyUnderTheSameKeyWithTheSagaHeadersEchoed() {
    // given a worker whose handler reserves stock
    List<CommandContext> seen = new CopyOnWriteArrayList<>();
    SagaWorker worker =
        workers.start(
            workers
                .builder(prefix + "inventory")
                .handle(
                    reserveTopic,
                    ReserveStock.class,
                    (command, context) -> {
                      seen.add(context);
                      return Reply.success(new StockReserved("res-" + command.getOrderId()));
                    }));
    Map<String, String> headers = orchestrator.headers("order-1", "cmd-1");
    headers.put(SagaHeaders.ATTEMPT, "2");

    // when the orchestrator sends a command
    orchestrator.send(
        reserveTopic,
        "order-1",
        orchestrator.frame(reserveTopic, new ReserveStock("order-1", "sku-7", 3)),
        headers);

    // then one success reply comes back with the command's key and the saga headers echoed
    List<ConsumerRecord<byte[], byte[]>> replies = orchestrator.replies(1);
    assertThat(replies).hasSize(1);
    ConsumerRecord<byte[], byte[]> reply = replies.get(0);
    assertThat(key(reply)).isEqualTo("order-1");
    assertThat(header(reply, SagaHeaders.OUTCOME)).isEqualTo(SagaHeaders.OUTCOME_SUCCESS);
    assertThat(header(reply, SagaHeaders.SAGA_ID)).isEqualTo(headers.get(SagaHeaders.SAGA_ID));
    assertThat(header(reply, SagaHeaders.COMMAND_ID)).isEqualTo("cmd-1");
    assertThat(header(reply, SagaHeaders.SAGA_NAME)).isEqualTo(TestOrchestrator.SAGA_NAME);
    assertThat(header(reply, SagaHeaders.TRACEPARENT))
        .isEqualTo(headers.get(SagaHeaders.TRACEPARENT));
    assertThat(header(reply, SagaHeaders.ERROR_CODE)).isNull();

    // and its value is the participant's own record, under the topic-record subject
    StockReserved value =
        AvroDeserializer.specific(registry, StockReserved.class)
            .deserialize(orchestrator.replies(), reply.value());
    assertThat(value.getReservationId()).isEqualTo("res-order-1");
    assertThat(registry.subjects())
        .contains(orchestrator.replies() + "-" + StockReserved.getClassSchema().getFullName());

    // and the handler saw every header of the command
    assertThat(seen).hasSize(1);
    CommandContext context = seen.get(0);
    assertThat(context.sagaKey()).isEqualTo("order-1");
    assertThat(context.sagaId()).isEqualTo(headers.get(SagaHeaders.SAGA_ID));
    assertThat(context.sagaName()).isEqualTo(TestOrchestrator.SAGA_NAME);
    assertThat(context.step()).isEqualTo("reserve-stock");
    assertThat(context.kind()).isEqualTo(CommandKind.ACTION);
    assertThat(context.commandId()).isEqualTo("cmd-1");
    assertThat(context.attempt()).isEqualTo(2);
    assertThat(context.deadline()).contains(TestOrchestrator.deadline());
    assertThat(context.traceparent()).contains(headers.get(SagaHeaders.TRACEPARENT));
    assertThat(context.topic()).isEqualTo(reserveTopic);

    // and the metrics counted it
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(worker.metrics().commandsHandled(reserveTopic, Outcome.SUCCESS))
                  .isEqualTo(1);
              assertThat(worker.metrics().handlerLatency(reserveTopic).count()).isEqualTo(1);
            });
  }

  @Test
  void aGenericHandlerOnASecondTopicServesCompensationsAndMayAnswerWithoutARecord() {
    // given a worker with a typed handler for actions and a generic one for compensations
    String releaseTopic = prefix + "inventory.release";
    orchestrator.createCommandTopic(releaseTopic);
    List<String> released = new CopyOnWriteArrayList<>();
    List<CommandKind> kinds = new CopyOnWriteArrayList<>();
    workers.start(
        workers
            .builder(prefix + "inventory")
            .handle(reserveTopic, ReserveStock.class, (command, context) -> Reply.success())
            .handleGeneric(
                releaseTopic,
                (GenericRecord command, CommandContext context) -> {
                  released.add(command.get("orderId").toString());
                  kinds.add(context.kind());
                  return Reply.success();
                }));
    Map<String, String> headers = orchestrator.headers("order-2", "cmd-2-undo");
    headers.put(SagaHeaders.SAGA_KIND, SagaHeaders.KIND_COMPENSATION);

    // when a compensation arrives on the second topic
    orchestrator.send(
        releaseTopic,
        "order-2",
        orchestrator.frame(releaseTopic, new ReleaseStock("order-2")),
        headers);

    // then the generic handler read it, and the success reply has no value
    List<ConsumerRecord<byte[], byte[]>> replies = orchestrator.replies(1);
    assertThat(replies).hasSize(1);
    assertThat(header(replies.get(0), SagaHeaders.OUTCOME)).isEqualTo(SagaHeaders.OUTCOME_SUCCESS);
    assertThat(header(replies.get(0), SagaHeaders.COMMAND_ID)).isEqualTo("cmd-2-undo");
    assertThat(replies.get(0).value()).isNull();
    assertThat(released).containsExactly("order-2");
    assertThat(kinds).containsExactly(CommandKind.COMPENSATION);
  }

  @Test
  void aRejectedCommandIsAnsweredFailureWithTheRejectionsCode() {
    // given a handler that rejects the command for good
    SagaWorker worker =
        workers.start(
            workers
                .builder(prefix + "inventory")
                .handle(
                    reserveTopic,
                    ReserveStock.class,
                    (command, context) -> {
                      throw new CommandRejectedException(
                          "OUT_OF_STOCK", "no " + command.getSku() + " left");
                    }));

    // when
    orchestrator.send(reserveTopic, "order-3", "cmd-3", new ReserveStock("order-3", "sku-9", 1));

    // then
    List<ConsumerRecord<byte[], byte[]>> replies = orchestrator.replies(1);
    assertThat(replies).hasSize(1);
    assertThat(header(replies.get(0), SagaHeaders.OUTCOME)).isEqualTo(SagaHeaders.OUTCOME_FAILURE);
    assertThat(header(replies.get(0), SagaHeaders.ERROR_CODE)).isEqualTo("OUT_OF_STOCK");
    assertThat(header(replies.get(0), SagaHeaders.ERROR_MESSAGE)).isEqualTo("no sku-9 left");
    assertThat(replies.get(0).value()).isNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> worker.metrics().commandsHandled(reserveTopic, Outcome.FAILURE) == 1);
  }

  @Test
  void aHandlerExceptionIsAnsweredRetryableFailureNamingItAndTheWorkerServesTheNextCommand() {
    // given a handler whose database is down for the first order only
    SagaWorker worker =
        workers.start(
            workers
                .builder(prefix + "inventory")
                .handle(
                    reserveTopic,
                    ReserveStock.class,
                    (command, context) -> {
                      if (command.getOrderId().equals("order-4")) {
                        throw new IllegalStateException("database down");
                      }
                      return Reply.success(new StockReserved("res-" + command.getOrderId()));
                    }));

    // when two commands arrive
    orchestrator.send(reserveTopic, "order-4", "cmd-4", new ReserveStock("order-4", "sku-1", 1));
    orchestrator.send(reserveTopic, "order-5", "cmd-5", new ReserveStock("order-5", "sku-1", 1));

    // then the first is a retryable failure naming the exception, and the second succeeds
    List<ConsumerRecord<byte[], byte[]>> replies = orchestrator.replies(2);
    assertThat(replies)
        .extracting(
            r -> header(r, SagaHeaders.COMMAND_ID),
            r -> header(r, SagaHeaders.OUTCOME),
            r -> header(r, SagaHeaders.ERROR_CODE),
            r -> header(r, SagaHeaders.ERROR_MESSAGE))
        .containsExactly(
            tuple(
                "cmd-4",
                SagaHeaders.OUTCOME_RETRYABLE_FAILURE,
                IllegalStateException.class.getName(),
                "database down"),
            tuple("cmd-5", SagaHeaders.OUTCOME_SUCCESS, null, null));
    assertThat(worker.isRunning()).isTrue();
  }

  @Test
  void errorsLongMessagesAndRepliesTooLargeToSendAreAnsweredAndTheWorkerServesTheNextCommand() {
    // given a handler that overflows its stack on one order, fails with a long message on another,
    // and answers a third with a reply larger than the producer sends
    SagaWorker worker =
        workers.start(
            workers
                .builder(prefix + "inventory")
                .handle(
                    reserveTopic,
                    ReserveStock.class,
                    (command, context) ->
                        switch (command.getOrderId()) {
                          case "order-6" -> throw new StackOverflowError();
                          case "order-7" -> throw new IllegalStateException("x".repeat(5000));
                          case "order-8" -> Reply.success(new StockReserved("r".repeat(1_100_000)));
                          default ->
                              Reply.success(new StockReserved("res-" + command.getOrderId()));
                        }));

    // when four commands arrive
    for (int order = 6; order <= 9; order++) {
      orchestrator.send(
          reserveTopic,
          "order-" + order,
          "cmd-" + order,
          new ReserveStock("order-" + order, "sku-1", 1));
    }

    // then each is answered: the Error as a retryable failure, the long message shortened, the
    // reply too large as a failure that names why
    List<ConsumerRecord<byte[], byte[]>> replies = orchestrator.replies(4);
    assertThat(replies)
        .extracting(
            r -> header(r, SagaHeaders.COMMAND_ID),
            r -> header(r, SagaHeaders.OUTCOME),
            r -> header(r, SagaHeaders.ERROR_CODE))
        .containsExactlyInAnyOrder(
            tuple(
                "cmd-6", SagaHeaders.OUTCOME_RETRYABLE_FAILURE, StackOverflowError.class.getName()),
            tuple(
                "cmd-7",
                SagaHeaders.OUTCOME_RETRYABLE_FAILURE,
                IllegalStateException.class.getName()),
            tuple("cmd-8", SagaHeaders.OUTCOME_FAILURE, CommandDispatcher.REPLY_TOO_LARGE),
            tuple("cmd-9", SagaHeaders.OUTCOME_SUCCESS, null));
    assertThat(replies)
        .filteredOn(r -> "cmd-7".equals(header(r, SagaHeaders.COMMAND_ID)))
        .singleElement()
        .extracting(r -> header(r, SagaHeaders.ERROR_MESSAGE))
        .asString()
        .hasSizeLessThan(2100)
        .endsWith("(3000 more characters)");
    assertThat(worker.isRunning()).isTrue();
  }

  @Test
  void aReplyTheReplyTopicRefusesIsAnsweredAsRefusedAndTheRestOfItsBatchIsAnswered(
      KafkaCluster kafka) {
    // given a reply topic that takes records of at most 2000 bytes, and a handler that answers
    // one order with a reply larger than that (but within what the producer sends)
    TestOrchestrator small =
        new TestOrchestrator(
            kafka, registry, prefix + "small.replies", Map.of("max.message.bytes", "2000"));
    SagaWorker worker =
        workers.start(
            workers
                .builder(prefix + "inventory")
                .handle(
                    reserveTopic,
                    ReserveStock.class,
                    (command, context) ->
                        Reply.success(
                            new StockReserved(
                                command.getOrderId().equals("order-2")
                                    ? "r".repeat(10_000)
                                    : "res-" + command.getOrderId()))));

    // when four commands arrive together, replies to go to that topic
    small.sendAll(
        java.util.stream.IntStream.rangeClosed(1, 4)
            .mapToObj(
                order ->
                    small.record(
                        reserveTopic,
                        "order-" + order,
                        small.frame(reserveTopic, new ReserveStock("order-" + order, "sku-1", 1)),
                        small.headers("order-" + order, "cmd-" + order)))
            .toList());

    // then the refused reply is answered as a failure naming why, and the three others succeed:
    // the batch, refused whole on every try, no longer blocks its partition
    assertThat(small.settledReplies(4))
        .extracting(
            r -> header(r, SagaHeaders.COMMAND_ID),
            r -> header(r, SagaHeaders.OUTCOME),
            r -> header(r, SagaHeaders.ERROR_CODE))
        .containsExactlyInAnyOrder(
            tuple("cmd-1", SagaHeaders.OUTCOME_SUCCESS, null),
            tuple("cmd-2", SagaHeaders.OUTCOME_FAILURE, CommandDispatcher.REPLY_REFUSED),
            tuple("cmd-3", SagaHeaders.OUTCOME_SUCCESS, null),
            tuple("cmd-4", SagaHeaders.OUTCOME_SUCCESS, null));
    assertThat(worker.isRunning()).isTrue();
  }
}
