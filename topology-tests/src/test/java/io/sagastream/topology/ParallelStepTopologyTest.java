package io.sagastream.topology;

import static io.sagastream.contracts.SagaHeaders.OUTCOME_FAILURE;
import static io.sagastream.contracts.SagaHeaders.OUTCOME_SUCCESS;
import static io.sagastream.topology.SagaTopologyFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.definition.CommandSpec;
import io.sagastream.definition.DefinitionSpec;
import io.sagastream.definition.SchemaSource;
import io.sagastream.definition.StepSpec;
import io.sagastream.engine.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A parallel step through the real topology: reserve, then charge and ship at once. */
class ParallelStepTopologyTest {

  @TempDir Path stateDir;
  private SagaTopologyFixture saga;

  @BeforeEach
  void givenAParallelStep() {
    saga = new SagaTopologyFixture(stateDir.resolve("node"));
    saga.deploy(
        DefinitionSpec.builder(SagaTopologyFixture.SAGA)
            .data(new SchemaSource.Inline(SagaTopologyFixture.DATA))
            .step(
                "reserve-inventory",
                spec("inventory.commands", SagaTopologyFixture.RESERVE),
                spec("inventory.commands", SagaTopologyFixture.RELEASE))
            .parallel(
                "prepare",
                List.of(
                    branch(
                        "charge-payment",
                        "payment.commands",
                        SagaTopologyFixture.CHARGE,
                        SagaTopologyFixture.REFUND),
                    branch(
                        "schedule-shipment",
                        "shipping.commands",
                        SagaTopologyFixture.SHIP,
                        SagaTopologyFixture.CANCEL_SHIPMENT)))
            .build(),
        1);
  }

  @AfterEach
  void close() {
    saga.close();
  }

  @Test
  void bothBranchesAreSentAtOnceAndTheSagaCompletesWhenBothSucceed() {
    saga.start("order-1", saga.order("order-1", 1));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    TestRecord<byte[], byte[]> charge = single(saga.commands("payment.commands"));
    TestRecord<byte[], byte[]> ship = single(saga.commands("shipping.commands"));
    saga.reply(ship, OUTCOME_SUCCESS, null);
    assertThat(saga.eventTypes()).doesNotContain("SagaCompleted");
    saga.reply(charge, OUTCOME_SUCCESS, null);

    assertThat(saga.eventTypes()).endsWith("SagaCompleted");
  }

  @Test
  void aBranchFailureWaitsForTheOtherBranchAndUndoesItWhenItSucceedsLate() {
    // given both branches in flight
    saga.start("order-2", saga.order("order-2", 1));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);
    TestRecord<byte[], byte[]> charge = single(saga.commands("payment.commands"));
    TestRecord<byte[], byte[]> ship = single(saga.commands("shipping.commands"));

    // when shipping fails for good, and only then the charge succeeds
    saga.reply(ship, OUTCOME_FAILURE, null);
    assertThat(saga.commands("inventory.commands")).as("nothing undone while charging").isEmpty();
    saga.reply(charge, OUTCOME_SUCCESS, null);

    // then the late charge is refunded first, then the reservation released
    TestRecord<byte[], byte[]> refund = single(saga.commands("payment.commands"));
    assertThat(header(refund, SagaHeaders.SAGA_KIND)).isEqualTo("compensation");
    saga.reply(refund, OUTCOME_SUCCESS, null);
    TestRecord<byte[], byte[]> release = single(saga.commands("inventory.commands"));
    assertThat(header(release, SagaHeaders.SAGA_STEP)).isEqualTo("reserve-inventory");
    saga.reply(release, OUTCOME_SUCCESS, null);
    assertThat(saga.eventTypes()).endsWith("SagaCompensated");
    assertThat(saga.commands("shipping.commands"))
        .as("the failed shipment is not undone")
        .isEmpty();
  }

  private static CommandSpec spec(String topic, Schema schema) {
    return new CommandSpec(topic, new SchemaSource.Inline(schema), Optional.empty());
  }

  private static StepSpec branch(String name, String topic, Schema action, Schema compensation) {
    return new StepSpec(
        name,
        spec(topic, action),
        Optional.of(spec(topic, compensation)),
        Duration.ofSeconds(30),
        RetryPolicy.DEFAULT,
        RetryPolicy.DEFAULT);
  }

  private static TestRecord<byte[], byte[]> single(List<TestRecord<byte[], byte[]>> records) {
    assertThat(records).hasSize(1);
    return records.get(0);
  }
}
