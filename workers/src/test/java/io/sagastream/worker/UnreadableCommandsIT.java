package io.sagastream.worker;

import static io.sagastream.testing.TopicIo.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.ConfluentWireFormat;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.worker.testing.ReserveStock;
import io.sagastream.worker.testing.StockReserved;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands the worker cannot read or cannot answer never stop it. */
@RealInfrastructure
class UnreadableCommandsIT {

  private TestOrchestrator orchestrator;
  private Workers workers;
  private String prefix;
  private String topic;
  private final List<String> handled = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect(KafkaCluster kafka, SchemaRegistryServer server) {
    SchemaRegistry registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    prefix = TestOrchestrator.uniquePrefix();
    orchestrator = new TestOrchestrator(kafka, registry, prefix + "saga.replies");
    topic = prefix + "inventory.reserve";
    orchestrator.createCommandTopic(topic);
    workers = new Workers(kafka, registry);
  }

  @AfterEach
  void closeWorkers() {
    workers.close();
  }

  @Test
  void unreadableCommandsAreAnsweredFailureUnreadableAndTheWorkerServesTheNextCommand() {
    // given a running worker
    SagaWorker worker = workers.start(reservingWorker());
    byte[] good = orchestrator.frame(topic, new ReserveStock("order-1", "sku-1", 1));
    Map<String, String> badKind = orchestrator.headers("order-1", "cmd-bad-kind");
    badKind.put(SagaHeaders.SAGA_KIND, "undo");

    // when a command with bytes that are no Avro, one with a schema id the registry never gave,
    // one with a saga-kind header that means nothing, and then a good command arrive
    orchestrator.sendAll(
        List.of(
            orchestrator.record(
                topic,
                "order-1",
                new byte[] {7, 7, 7},
                orchestrator.headers("order-1", "cmd-garbage")),
            orchestrator.record(
                topic,
                "order-1",
                ConfluentWireFormat.frame(987_654_321, new byte[] {2, 65}),
                orchestrator.headers("order-1", "cmd-unknown-id")),
            orchestrator.record(topic, "order-1", good, badKind),
            orchestrator.record(
                topic, "order-1", good, orchestrator.headers("order-1", "cmd-ok"))));

    // then the three unreadable ones are answered failure UNREADABLE_COMMAND, the last succeeds
    List<ConsumerRecord<byte[], byte[]>> replies = orchestrator.replies(4);
    assertThat(replies)
        .extracting(
            r -> header(r, SagaHeaders.COMMAND_ID),
            r -> header(r, SagaHeaders.OUTCOME),
            r -> header(r, SagaHeaders.ERROR_CODE))
        .containsExactly(
            tuple("cmd-garbage", SagaHeaders.OUTCOME_FAILURE, "UNREADABLE_COMMAND"),
            tuple("cmd-unknown-id", SagaHeaders.OUTCOME_FAILURE, "UNREADABLE_COMMAND"),
            tuple("cmd-bad-kind", SagaHeaders.OUTCOME_FAILURE, "UNREADABLE_COMMAND"),
            tuple("cmd-ok", SagaHeaders.OUTCOME_SUCCESS, null));
    assertThat(header(replies.get(1), SagaHeaders.ERROR_MESSAGE)).contains("UNKNOWN_SCHEMA_ID");
    assertThat(header(replies.get(2), SagaHeaders.ERROR_MESSAGE)).contains("saga-kind");

    // and only the good one reached the handler, and the metrics tell them apart
    assertThat(handled).containsExactly("cmd-ok");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(worker.metrics().unreadableCommands(topic)).isEqualTo(3);
              assertThat(worker.metrics().commandsHandled(topic, Outcome.FAILURE)).isEqualTo(3);
              assertThat(worker.metrics().commandsHandled(topic, Outcome.SUCCESS)).isEqualTo(1);
            });
    assertThat(worker.isRunning()).isTrue();
  }

  @Test
  void aCommandThatCannotBeAnsweredIsSkippedAndCountedAndTheWorkerServesTheNextCommand() {
    // given a running worker
    SagaWorker worker = workers.start(reservingWorker());
    Map<String, String> noReplyTo = orchestrator.headers("order-2", "cmd-nowhere");
    noReplyTo.remove(SagaHeaders.REPLY_TO);
    Map<String, String> noCommandId = orchestrator.headers("order-2", "unused");
    noCommandId.remove(SagaHeaders.COMMAND_ID);
    Map<String, String> replyToNoTopic = orchestrator.headers("order-2", "cmd-no-topic");
    replyToNoTopic.put(SagaHeaders.REPLY_TO, "saga replies");

    // when commands without reply-to, without command-id and with a reply-to that Kafka cannot
    // name arrive, then a good one
    orchestrator.sendAll(
        List.of(
            orchestrator.record(topic, "order-2", new byte[] {1}, noReplyTo),
            orchestrator.record(
                topic,
                "order-2",
                orchestrator.frame(topic, new ReserveStock("order-2", "sku-2", 1)),
                replyToNoTopic),
            orchestrator.record(
                topic,
                "order-2",
                orchestrator.frame(topic, new ReserveStock("order-2", "sku-2", 1)),
                noCommandId),
            orchestrator.record(
                topic,
                "order-2",
                orchestrator.frame(topic, new ReserveStock("order-2", "sku-2", 1)),
                orchestrator.headers("order-2", "cmd-ok"))));

    // then only the good one is answered
    List<ConsumerRecord<byte[], byte[]>> replies = orchestrator.replies(1);
    assertThat(replies)
        .extracting(r -> header(r, SagaHeaders.COMMAND_ID), r -> header(r, SagaHeaders.OUTCOME))
        .containsExactly(tuple("cmd-ok", SagaHeaders.OUTCOME_SUCCESS));
    assertThat(handled).containsExactly("cmd-ok");

    // and the three it passed over are counted
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(worker.metrics().skippedCommands(topic)).isEqualTo(3));
    assertThat(worker.isRunning()).isTrue();
  }

  private SagaWorker.Builder reservingWorker() {
    return workers
        .builder(prefix + "inventory")
        .handle(
            topic,
            ReserveStock.class,
            (command, context) -> {
              handled.add(context.commandId());
              return Reply.success(new StockReserved("res-" + command.getOrderId()));
            });
  }
}
