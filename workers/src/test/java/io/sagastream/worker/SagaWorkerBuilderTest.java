package io.sagastream.worker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.worker.testing.ReserveStock;
import org.junit.jupiter.api.Test;

class SagaWorkerBuilderTest {

  private static final CommandHandler<ReserveStock> HANDLER = (command, context) -> Reply.success();

  @Test
  void aWorkerWithoutAGroupIsRefusedAtBuild() {
    var builder =
        SagaWorker.builder()
            .bootstrapServers("localhost:9092")
            .registry("http://localhost:8081")
            .handle("inventory.commands", ReserveStock.class, HANDLER);

    assertThatThrownBy(builder::build).hasMessageContaining("group");
  }

  @Test
  void aWorkerWithoutHandlersIsRefusedAtBuild() {
    var builder =
        SagaWorker.builder()
            .bootstrapServers("localhost:9092")
            .registry("http://localhost:8081")
            .group("inventory");

    assertThatThrownBy(builder::build).hasMessageContaining("handler");
  }

  @Test
  void aTopicTakesOneHandler() {
    var builder = SagaWorker.builder().handle("inventory.commands", ReserveStock.class, HANDLER);

    assertThatThrownBy(
            () -> builder.handleGeneric("inventory.commands", (c, ctx) -> Reply.success()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inventory.commands");
  }
}
