package io.sagastream.worker;

import static io.sagastream.testing.TopicIo.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.worker.testing.ReserveStock;
import io.sagastream.worker.testing.StockReserved;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a worker's life ends, and which workers one JVM lets live side by side. */
@RealInfrastructure
class SagaWorkerLifecycleIT {

  private TestOrchestrator orchestrator;
  private Workers workers;
  private String group;
  private String topic;

  @BeforeEach
  void connect(KafkaCluster kafka, SchemaRegistryServer server) {
    SchemaRegistry registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
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
  @Timeout(60)
  void runUntilShutdownThrowsWithTheCauseWhenAnErrorStoppedTheWorker() {
    // given a worker whose handler raises an Error the worker does not survive, and a command
    BrokenInvariant broken = new BrokenInvariant();
    SagaWorker worker =
        workers.build(
            workers
                .builder(group)
                .handle(
                    topic,
                    ReserveStock.class,
                    (command, context) -> {
                      throw broken;
                    }));
    send("order-1", "cmd-1");

    // when the participant's main runs it until shutdown
    // then it ends by throwing, so that the process exits with a failure, naming the worker
    assertThatThrownBy(worker::runUntilShutdown)
        .isInstanceOf(IllegalStateException.class)
        .hasCauseReference(broken)
        .hasMessageContaining(group + "-instance-1");
    assertThat(worker.failure()).containsSame(broken);
  }

  @Test
  @Timeout(60)
  void runUntilShutdownReturnsNormallyWhenTheWorkerIsClosed() throws Exception {
    // given a worker run until shutdown on another thread
    SagaWorker worker = workers.build(reservingWorker());
    CompletableFuture<Void> running =
        CompletableFuture.runAsync(
            () -> {
              try {
                worker.runUntilShutdown();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
              }
            });
    await().atMost(Duration.ofSeconds(30)).until(worker::isRunning);

    // when it is closed
    worker.close(Duration.ofSeconds(20));

    // then runUntilShutdown returns without an exception
    running.get(30, TimeUnit.SECONDS);
    assertThat(worker.failure()).isEmpty();
  }

  @Test
  void aSecondWorkerWithTheSameGroupAndInstanceIdIsRefusedAtStartNamingTheTransactionalId() {
    // given a running worker
    SagaWorker first = workers.start(reservingWorker());

    // when another with the same group and instance id starts in the same JVM
    SagaWorker second = workers.build(reservingWorker());

    // then it is refused, with the id the two would fence each other over
    assertThatThrownBy(second::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(group + "-instance-1");
    assertThat(second.isRunning()).isFalse();

    // and the first goes on serving
    send("order-1", "cmd-1");
    assertThat(orchestrator.replies(1))
        .extracting(r -> header(r, SagaHeaders.COMMAND_ID))
        .containsExactly("cmd-1");
    assertThat(first.isRunning()).isTrue();
  }

  @Test
  void aClosedWorkersInstanceIdIsFreeForANewWorkerInTheSameJvm() {
    // given a worker that was started and closed
    SagaWorker first = workers.start(reservingWorker());
    first.close(Duration.ofSeconds(20));
    assertThat(first.isRunning()).isFalse();

    // when a new worker with the same group and instance id starts
    workers.start(reservingWorker());

    // then it serves commands
    send("order-1", "cmd-1");
    assertThat(orchestrator.replies(1))
        .extracting(r -> header(r, SagaHeaders.COMMAND_ID))
        .containsExactly("cmd-1");
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
            (command, context) -> Reply.success(new StockReserved("res-" + command.getOrderId())));
  }

  /** What a handler raises when the process is beyond saving, unlike the Errors it survives. */
  private static final class BrokenInvariant extends Error {

    private static final long serialVersionUID = 1L;

    BrokenInvariant() {
      super("the stock ledger is corrupt");
    }
  }
}
