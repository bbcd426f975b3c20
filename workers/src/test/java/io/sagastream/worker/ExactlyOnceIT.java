package io.sagastream.worker;

import static io.sagastream.testing.TopicIo.header;
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
import io.sagastream.worker.testing.ReserveStock;
import io.sagastream.worker.testing.StockReserved;
import java.lang.Thread.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies and command offsets commit in one transaction: a reply is seen once, by read_committed
 * readers, and a command whose reply committed is not handled again.
 */
@RealInfrastructure
class ExactlyOnceIT {

  private SchemaRegistry registry;
  private TestOrchestrator orchestrator;
  private Workers workers;
  private String group;
  private String topic;
  private final List<String> handled = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect(KafkaCluster kafka, SchemaRegistryServer server) {
    registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    String prefix = TestOrchestrator.uniquePrefix();
    orchestrator = new TestOrchestrator(kafka, registry, prefix + "saga.replies");
    topic = prefix + "inventory.reserve";
    orchestrator.createCommandTopic(topic);
    group = prefix + "inventory";
    workers = new Workers(kafka, registry);
  }

  @AfterEach
  void closeWorkers() {
    workers.close();
  }

  @Test
  void aCommandDeliveredTwiceReachesTheHandlerWithTheSameCommandIdBothTimes() {
    // given a handler that is idempotent by command id, as participants must be
    Map<String, String> reservations = new ConcurrentHashMap<>();
    AtomicInteger reservationsMade = new AtomicInteger();
    workers.start(
        workers
            .builder(group)
            .handle(
                topic,
                ReserveStock.class,
                (command, context) -> {
                  handled.add(context.commandId());
                  String reservation =
                      reservations.computeIfAbsent(
                          context.commandId(), id -> "res-" + reservationsMade.incrementAndGet());
                  return Reply.success(new StockReserved(reservation));
                }));
    var command =
        orchestrator.record(
            topic,
            "order-1",
            orchestrator.frame(topic, new ReserveStock("order-1", "sku-1", 2)),
            orchestrator.headers("order-1", "cmd-1"));

    // when the same command is written twice
    orchestrator.sendAll(List.of(command, command));

    // then the handler saw the same command id twice, and made one reservation
    List<ConsumerRecord<byte[], byte[]>> replies = orchestrator.settledReplies(2);
    assertThat(handled).containsExactly("cmd-1", "cmd-1");
    assertThat(reservationsMade).hasValue(1);

    // and both replies carry that command id and that reservation, for the orchestrator to
    // record the second as a duplicate
    var reader = AvroDeserializer.specific(registry, StockReserved.class);
    assertThat(replies)
        .extracting(
            r -> header(r, SagaHeaders.COMMAND_ID),
            r -> reader.deserialize(orchestrator.replies(), r.value()).getReservationId())
        .containsExactly(tuple("cmd-1", "res-1"), tuple("cmd-1", "res-1"));
  }

  @Test
  void aCommandWhoseReplyCommittedIsNotHandledAgainByTheRestartedWorker() {
    // given a worker that answered a command
    SagaWorker first = workers.start(reservingWorker());
    send("order-1", "cmd-1");
    assertThat(orchestrator.replies(1))
        .extracting(r -> header(r, SagaHeaders.COMMAND_ID))
        .containsExactly("cmd-1");

    // when it is closed and started again in the same group, and another command arrives
    first.close();
    assertThat(first.isRunning()).isFalse();
    workers.start(reservingWorker());
    send("order-2", "cmd-2");

    // then the first command's offset was committed with its reply: nothing is handled twice
    assertThat(orchestrator.settledReplies(2))
        .extracting(r -> header(r, SagaHeaders.COMMAND_ID))
        .containsExactly("cmd-1", "cmd-2");
    assertThat(handled).containsExactly("cmd-1", "cmd-2");
  }

  @Test
  void aRegistryOutageMidBatchAbortsItAndOnlyTheRedoneRepliesAreCommitted() {
    // given two commands waiting, so that the worker reads them in one batch, and a registry
    // that fails when the second reply is written
    orchestrator.sendAll(
        List.of(
            orchestrator.record(
                topic,
                "order-1",
                orchestrator.frame(topic, new ReserveStock("order-1", "sku-1", 1)),
                orchestrator.headers("order-1", "cmd-1")),
            orchestrator.record(
                topic,
                "order-2",
                orchestrator.frame(topic, new ReserveStock("order-2", "sku-1", 1)),
                orchestrator.headers("order-2", "cmd-2"))));

    // when the worker starts
    SagaWorker worker = workers.start(reservingWorker().registry(new FlakyRegistry(registry, 2)));

    // then read_committed readers see one reply per command: not the first reply sent in the
    // aborted transaction, only those of the batch done again
    assertThat(orchestrator.settledReplies(2))
        .extracting(r -> header(r, SagaHeaders.COMMAND_ID), r -> header(r, SagaHeaders.OUTCOME))
        .containsExactly(
            tuple("cmd-1", SagaHeaders.OUTCOME_SUCCESS),
            tuple("cmd-2", SagaHeaders.OUTCOME_SUCCESS));

    // and the handler saw the whole batch twice, with the same command ids
    assertThat(handled).containsExactly("cmd-1", "cmd-2", "cmd-1", "cmd-2");
    assertThat(worker.metrics().abortedTransactions()).isEqualTo(1);
    assertThat(worker.metrics().commandsHandled(topic, Outcome.SUCCESS)).isEqualTo(2);
    assertThat(worker.metrics().handlerLatency(topic).count()).isEqualTo(4);
  }

  @Test
  void closeLetsTheBatchInHandCommitAndStopsTheWorkerWithinItsTimeout() throws Exception {
    // given a worker busy with a slow command
    CountDownLatch busy = new CountDownLatch(1);
    SagaWorker worker =
        workers.start(
            workers
                .builder(group)
                .handle(
                    topic,
                    ReserveStock.class,
                    (command, context) -> {
                      handled.add(context.commandId());
                      busy.countDown();
                      Thread.sleep(1_500);
                      return Reply.success(new StockReserved("res-slow"));
                    }));
    send("order-1", "cmd-slow");
    assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();

    // when it is closed
    long start = System.nanoTime();
    worker.close(Duration.ofSeconds(20));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // then it stopped well within the timeout, without a failure
    assertThat(worker.isRunning()).isFalse();
    assertThat(took).isLessThan(Duration.ofSeconds(15));
    assertThat(worker.failure()).isEmpty();

    // and the command in hand was answered and committed
    assertThat(orchestrator.settledReplies(1))
        .extracting(r -> header(r, SagaHeaders.COMMAND_ID), r -> header(r, SagaHeaders.OUTCOME))
        .containsExactly(tuple("cmd-slow", SagaHeaders.OUTCOME_SUCCESS));
    assertThat(handled).containsExactly("cmd-slow");
    assertThat(worker.metrics().commandsHandled(topic, Outcome.SUCCESS)).isEqualTo(1);
  }

  @Test
  void aBatchSlowerThanHalfTheTransactionTimeoutCommitsInPartsAndEachCommandIsAnsweredOnce() {
    // given ten commands waiting, for a worker whose transactions time out after 2 s and whose
    // handler takes 300 ms a command: 3 s for the batch it reads first
    List<String> commandIds = sendCommands(10);

    // when the worker starts
    SagaWorker worker =
        workers.start(
            workers
                .builder(group)
                .producerProperties(Map.of("transaction.timeout.ms", 2000))
                .handle(
                    topic,
                    ReserveStock.class,
                    (command, context) -> {
                      handled.add(context.commandId());
                      Thread.sleep(300);
                      return Reply.success(new StockReserved("res-" + command.getOrderId()));
                    }));

    // then every command is answered once, in batches committed before half the timeout
    assertThat(orchestrator.settledReplies(10))
        .extracting(r -> header(r, SagaHeaders.COMMAND_ID))
        .containsExactlyInAnyOrderElementsOf(commandIds);
    assertThat(handled).doesNotHaveDuplicates().hasSize(10);
    assertThat(worker.metrics().batchesCutShort()).isGreaterThanOrEqualTo(2);
    assertThat(worker.metrics().abortedTransactions()).isZero();
  }

  @Test
  void closeStopsHandlingTheBatchAfterTheCommandInHandAndTheNextWorkerAnswersTheRestOnce()
      throws Exception {
    // given ten commands waiting, and a worker whose handler takes 500 ms a command (5 s for the
    // batch), the first of them held until the worker is asked to stop
    List<String> commandIds = sendCommands(10);
    CountDownLatch firstInHand = new CountDownLatch(1);
    CountDownLatch stopAsked = new CountDownLatch(1);
    List<String> handledByFirst = new CopyOnWriteArrayList<>();
    SagaWorker first =
        workers.start(
            workers
                .builder(group)
                .handle(
                    topic,
                    ReserveStock.class,
                    (command, context) -> {
                      handledByFirst.add(context.commandId());
                      firstInHand.countDown();
                      stopAsked.await(30, TimeUnit.SECONDS);
                      Thread.sleep(500);
                      return Reply.success(new StockReserved("res-" + command.getOrderId()));
                    }));
    assertThat(firstInHand.await(30, TimeUnit.SECONDS)).isTrue();

    // when it is closed while handling the first command
    AtomicReference<Duration> closing = new AtomicReference<>();
    Thread closer =
        new Thread(
            () -> {
              long start = System.nanoTime();
              first.close(Duration.ofSeconds(20));
              closing.set(Duration.ofNanos(System.nanoTime() - start));
            });
    closer.start();
    // Joining the worker's thread means close() has already asked the loop to stop.
    await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == State.TIMED_WAITING);
    stopAsked.countDown();
    closer.join(30_000);

    // then it committed the command in hand and stopped, well before the batch's 5 s of work
    assertThat(first.isRunning()).isFalse();
    assertThat(closing.get()).isLessThan(Duration.ofMillis(2_500));
    assertThat(handledByFirst).containsExactly(commandIds.get(0));
    assertThat(first.metrics().commandsHandled(topic, Outcome.SUCCESS)).isEqualTo(1);
    assertThat(first.metrics().batchesCutShort()).isZero();

    // and a worker started next answers the other nine, and every command has one reply
    workers.start(reservingWorker());
    assertThat(orchestrator.settledReplies(10))
        .extracting(r -> header(r, SagaHeaders.COMMAND_ID))
        .containsExactlyInAnyOrderElementsOf(commandIds);
    assertThat(handled).containsExactlyInAnyOrderElementsOf(commandIds.subList(1, 10));
  }

  /** Sends {@code count} commands in one go, so that a worker finds them all in its first poll. */
  private List<String> sendCommands(int count) {
    List<ProducerRecord<byte[], byte[]>> commands = new ArrayList<>();
    List<String> commandIds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      commandIds.add("cmd-" + i);
      commands.add(
          orchestrator.record(
              topic,
              "order-" + i,
              orchestrator.frame(topic, new ReserveStock("order-" + i, "sku-1", 1)),
              orchestrator.headers("order-" + i, "cmd-" + i)));
    }
    orchestrator.sendAll(commands);
    return commandIds;
  }

  private void send(String sagaKey, String commandId) {
    orchestrator.send(topic, sagaKey, commandId, new ReserveStock(sagaKey, "sku-1", 1));
  }

  private SagaWorker.Builder reservingWorker() {
    return workers
        .builder(group)
        .handle(
            topic,
            ReserveStock.class,
            (command, context) -> {
              handled.add(context.commandId());
              return Reply.success(new StockReserved("res-" + command.getOrderId()));
            });
  }
}
