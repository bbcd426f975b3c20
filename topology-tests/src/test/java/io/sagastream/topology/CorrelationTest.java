package io.sagastream.topology;

import static io.sagastream.contracts.SagaHeaders.OUTCOME_SUCCESS;
import static io.sagastream.topology.SagaTopologyFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.contracts.DeadLetterHeaders;
import io.sagastream.contracts.MessageHeaders;
import io.sagastream.contracts.SagaHeaders;
import io.sagastream.contracts.v1.IncidentResolution;
import io.sagastream.definition.CommandSpec;
import io.sagastream.definition.DefinitionSpec;
import io.sagastream.definition.ReceiveStepSpec;
import io.sagastream.definition.SchemaSource;
import io.sagastream.engine.ReceiveSpec.ReceiveTimeoutAction;
import io.sagastream.registry.serde.AvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Receive steps, the inbox, and several sagas on one key, through the real topology. */
class CorrelationTest {

  private static final Schema PAYMENT_CONFIRMED =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "PaymentConfirmed", "namespace": "payment",
               "fields": [{"name": "amount", "type": "long"}]}""");
  private static final Schema SHIP =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "ShipPaidOrder", "namespace": "shipping",
               "fields": [{"name": "orderId", "type": "string"}, {"name": "amount", "type": "long"}]}""");

  @TempDir Path stateDir;
  private SagaTopologyFixture saga;

  @AfterEach
  void close() {
    if (saga != null) {
      saga.close();
    }
  }

  /** reserve, then wait for PaymentConfirmed ({@code receives} times), then ship. */
  private void givenPaidOrderSaga(String name, int receives, ReceiveTimeoutAction onTimeout) {
    if (saga == null) {
      saga = new SagaTopologyFixture(stateDir.resolve("node"));
    }
    DefinitionSpec.Builder spec =
        DefinitionSpec.builder(name)
            .data(new SchemaSource.Inline(SagaTopologyFixture.DATA))
            .step(
                "reserve-inventory",
                new CommandSpec(
                    "inventory.commands",
                    new SchemaSource.Inline(SagaTopologyFixture.RESERVE),
                    Optional.empty()),
                new CommandSpec(
                    "inventory.commands",
                    new SchemaSource.Inline(SagaTopologyFixture.RELEASE),
                    Optional.empty()));
    for (int i = 1; i <= receives; i++) {
      spec.receive(
          "await-payment-" + i,
          new ReceiveStepSpec(
              "payment.PaymentConfirmed",
              Optional.of(Duration.ofMinutes(10)),
              onTimeout,
              Optional.of(new SchemaSource.Inline(PAYMENT_CONFIRMED))));
    }
    spec.step(
        "ship",
        new CommandSpec("shipping.commands", new SchemaSource.Inline(SHIP), Optional.empty()));
    saga.deploy(spec.build(), 1);
  }

  @Test
  void aMessageForAWaitingSagaIsDeliveredAndItsFieldsMergeIntoTheData() {
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    saga.start("order-1", saga.order("order-1", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    saga.message("order-1", payment(777), Map.of());

    assertThat(amountShipped(single(saga.commands("shipping.commands")))).isEqualTo(777);
    assertThat(saga.eventTypes()).contains("MessageAwaited", "MessageCorrelated");
  }

  @Test
  void aMessageBeforeTheSagaIsKeptAndDeliveredWhenTheSagaWaitsForIt() {
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    saga.message("order-2", payment(500), Map.of(MessageHeaders.MESSAGE_ID, "pay-2"));
    assertThat(saga.eventTypes()).containsExactly("MessageBuffered");

    saga.start("order-2", saga.order("order-2", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    assertThat(amountShipped(single(saga.commands("shipping.commands")))).isEqualTo(500);
  }

  @Test
  void aMessageAfterTheWaitTimedOutIsKeptNotDelivered() {
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    saga.start("order-3", saga.order("order-3", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);
    saga.advance(Duration.ofMinutes(11));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    saga.message("order-3", payment(1), Map.of());

    assertThat(saga.eventTypes())
        .contains("ReceiveTimedOut", "SagaCompensated")
        .endsWith("MessageBuffered");
    assertThat(saga.commands("shipping.commands")).isEmpty();
  }

  @Test
  void theSameMessageIdTwiceIsDeliveredOnce() {
    // given a saga that waits for the same message twice
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 2, ReceiveTimeoutAction.COMPENSATE);
    saga.start("order-4", saga.order("order-4", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    // when one message is published twice with one id
    saga.message("order-4", payment(4), Map.of(MessageHeaders.MESSAGE_ID, "pay-4"));
    saga.message("order-4", payment(4), Map.of(MessageHeaders.MESSAGE_ID, "pay-4"));

    // then only the first wait is over
    assertThat(saga.eventTypes().stream().filter("MessageCorrelated"::equals)).hasSize(1);
    assertThat(saga.commands("shipping.commands")).isEmpty();
  }

  @Test
  void keptMessagesAreDeliveredInSequenceOrderNotArrivalOrder() {
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    saga.message("order-5", payment(2), Map.of(MessageHeaders.SEQUENCE, "2"));
    saga.message("order-5", payment(1), Map.of(MessageHeaders.SEQUENCE, "1"));

    saga.start("order-5", saga.order("order-5", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    assertThat(amountShipped(single(saga.commands("shipping.commands")))).isEqualTo(1);
  }

  @Test
  void twoMessagesSentWithOneSequenceNumberAreBothKept() {
    // given a saga that waits for two payments, and two payments kept before it, one sequence
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 2, ReceiveTimeoutAction.COMPENSATE);
    saga.message(
        "order-15",
        payment(1),
        Map.of(MessageHeaders.SEQUENCE, "7", MessageHeaders.MESSAGE_ID, "pay-a"));
    saga.message(
        "order-15",
        payment(2),
        Map.of(MessageHeaders.SEQUENCE, "7", MessageHeaders.MESSAGE_ID, "pay-b"));

    // when the saga reaches its receive steps
    saga.start("order-15", saga.order("order-15", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    // then each takes one of them, and the saga goes on to ship
    assertThat(saga.commands("shipping.commands")).hasSize(1);
    assertThat(saga.eventTypes()).doesNotContain("MessageExpired");
    // and the journal tells the two keepings apart
    assertThat(
            saga.events().stream()
                .filter(e -> e.getEvent().getClass().getSimpleName().equals("MessageBuffered"))
                .map(e -> e.getEventId())
                .distinct())
        .hasSize(2);
  }

  @Test
  void aKeptMessagePastItsTimeToLiveIsDroppedAndJournaled() {
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    saga.message("order-6", payment(6), Map.of(MessageHeaders.TIME_TO_LIVE, "PT10S"));

    saga.advance(Duration.ofSeconds(11));
    saga.start("order-6", saga.order("order-6", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    assertThat(saga.eventTypes())
        .contains("MessageBuffered", "MessageExpired")
        .endsWith("MessageAwaited");
    assertThat(saga.commands("shipping.commands")).isEmpty();
  }

  @Test
  void aReceiveTimeoutThatFailsHoldsTheSagaForAnOperatorWhoseRetryWaitsAgain() {
    // given a saga whose receive step fails when its message does not come, past its timeout
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.FAIL);
    saga.start("order-9", saga.order("order-9", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);
    saga.advance(Duration.ofMinutes(11));
    assertThat(saga.eventTypes()).contains("ReceiveTimedOut", "IncidentRaised", "SagaFailed");

    // when the payment comes late
    saga.message("order-9", payment(9), Map.of());

    // then the failed saga does not take it; an operator's retry waits again, and gets it
    assertThat(saga.commands("shipping.commands")).isEmpty();
    saga.resolve("order-9", IncidentResolution.RETRY);
    assertThat(amountShipped(single(saga.commands("shipping.commands")))).isEqualTo(9);
    assertThat(saga.deadLetters()).isEmpty();
  }

  @Test
  void aWaitingSagaWhoseReceiveTimerWasLostTimesOutAtTheNextRecoveryScan() {
    // given a saga waiting for its payment, whose receive timeout was lost from the timer store
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    saga.start("order-12", saga.order("order-12", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);
    saga.loseTimers();

    // when the timeout and the recovery age have passed, and the scan has run
    saga.advance(Duration.ofMinutes(16));
    saga.advance(Duration.ofSeconds(1));

    // then the receive step times out as it should have, and the saga compensates
    assertThat(saga.eventTypes()).contains("ReceiveTimedOut", "CompensationStarted");
    assertThat(saga.commands("inventory.commands")).hasSize(1);
  }

  @Test
  void aMessageWhoseTimeToLiveNoClockCanAddIsDeadLetteredAndLeavesItsIdFree() {
    // given a message with an id and a time to live of about 570 million years
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    saga.message(
        "order-10",
        payment(10),
        Map.of(
            MessageHeaders.MESSAGE_ID, "pay-10", MessageHeaders.TIME_TO_LIVE, "PT5000000000000H"));

    // when the same message comes again with a sane time to live, and its saga waits for it
    saga.message("order-10", payment(10), Map.of(MessageHeaders.MESSAGE_ID, "pay-10"));
    saga.start("order-10", saga.order("order-10", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    // then the first is a dead letter naming its header, and the second is delivered
    assertThat(saga.deadLetters())
        .singleElement()
        .satisfies(
            r -> assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("MALFORMED_HEADER"));
    assertThat(amountShipped(single(saga.commands("shipping.commands")))).isEqualTo(10);
  }

  @Test
  void aKeptMessageTheSagaCannotTakeIsDeadLetteredAndTheReplyThatMadeItWaitStands() {
    // given a payment kept for a saga whose data cannot hold it: amount is a string there
    Schema textAmount =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "PaymentConfirmed", "namespace": "payment",
                 "fields": [{"name": "amount", "type": "string"}]}""");
    GenericRecord payment = new GenericData.Record(textAmount);
    payment.put("amount", "a lot");
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    saga.message("order-11", payment, Map.of(MessageHeaders.MESSAGE_ID, "pay-11"));

    // when the saga comes to wait for it
    saga.start("order-11", saga.order("order-11", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    // then the message is a dead letter naming the saga, and the saga waits on, its reply taken
    assertThat(saga.deadLetters())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("PROCESSING_FAILED");
              assertThat(header(r, DeadLetterHeaders.MESSAGE))
                  .contains("message not delivered to saga");
              assertThat(header(r, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("saga.messages");
              assertThat(header(r, MessageHeaders.MESSAGE_ID)).isEqualTo("pay-11");
              assertThat(r.value()).isNotEmpty();
            });
    assertThat(saga.eventTypes()).contains("StepCompleted").endsWith("MessageAwaited");
    assertThat(saga.commands("shipping.commands")).isEmpty();
  }

  @Test
  void aMessageTheWaitingSagaCouldNotTakeCanBeSentAgainUnderTheSameId() {
    // given a saga waiting for a payment
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    saga.start("order-12", saga.order("order-12", 10));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    // when a payment it cannot take comes (amount is a string), and then, mended, under its id
    Schema textAmount =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "PaymentConfirmed", "namespace": "payment",
                 "fields": [{"name": "amount", "type": "string"}]}""");
    GenericRecord unfit = new GenericData.Record(textAmount);
    unfit.put("amount", "a lot");
    saga.message("order-12", unfit, Map.of(MessageHeaders.MESSAGE_ID, "pay-12"));
    saga.message("order-12", payment(12), Map.of(MessageHeaders.MESSAGE_ID, "pay-12"));

    // then the first is a dead letter and the second is delivered, not dropped as a duplicate
    assertThat(saga.deadLetters()).hasSize(1);
    assertThat(amountShipped(single(saga.commands("shipping.commands")))).isEqualTo(12);
  }

  @Test
  void aMessageTooLargeToKeepForALaterSagaIsADeadLetterNotAStuckTransaction() {
    // given a node whose producer takes requests of at most 4 KiB, and no saga on the key yet
    saga =
        new SagaTopologyFixture(
            stateDir.resolve("small"), 1, Map.of("producer.max.request.size", 4096));
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    Schema note =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "PaymentConfirmed", "namespace": "payment",
                 "fields": [{"name": "amount", "type": "long"}, {"name": "memo", "type": "string"}]}""");
    GenericRecord payment = new GenericData.Record(note);
    payment.put("amount", 1L);
    payment.put("memo", "m".repeat(5000));

    // when a payment larger than a record may hold arrives
    saga.message("order-13", payment, Map.of(MessageHeaders.MESSAGE_ID, "pay-13"));

    // then it is a dead letter saying why, and nothing was kept
    assertThat(saga.deadLetters())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("PROCESSING_FAILED");
              assertThat(header(r, DeadLetterHeaders.MESSAGE)).contains("max.request.size");
            });
    assertThat(saga.eventTypes()).doesNotContain("MessageBuffered");

    // and once sent again, smaller, under the same id, it is kept, not taken for a duplicate
    payment.put("memo", "m");
    saga.message("order-13", payment, Map.of(MessageHeaders.MESSAGE_ID, "pay-13"));
    assertThat(saga.eventTypes()).contains("MessageBuffered");
  }

  @Test
  void oneMessageReachesEverySagaOnItsKeyThatWaitsForIt() {
    // given two definitions on one key, both waiting for the payment
    givenPaidOrderSaga("fulfilment", 1, ReceiveTimeoutAction.COMPENSATE);
    givenPaidOrderSaga("invoicing", 1, ReceiveTimeoutAction.COMPENSATE);
    saga.start("order-7", "fulfilment", saga.order("order-7", 10));
    saga.start("order-7", "invoicing", saga.order("order-7", 10));
    List<TestRecord<byte[], byte[]>> reserves = saga.commands("inventory.commands");
    assertThat(reserves).hasSize(2);
    reserves.forEach(r -> saga.reply(r, OUTCOME_SUCCESS, null));

    // when one message arrives
    saga.message("order-7", payment(70), Map.of());

    // then both go on
    assertThat(saga.commands("shipping.commands"))
        .extracting(r -> header(r, SagaHeaders.SAGA_NAME))
        .containsExactlyInAnyOrder("fulfilment", "invoicing");
  }

  @Test
  void aReplyOnAPartitionItsKeyDoesNotHashToGoesThroughTheReroutedTopicFirst() {
    // given topics of four partitions; the driver delivers everything on partition 0
    saga = new SagaTopologyFixture(stateDir.resolve("four"), 4);
    String key = keyHashingAwayFromPartitionZero();
    RecordHeaders headers = new RecordHeaders();
    headers.add(SagaHeaders.SAGA_ID, "nobody-here".getBytes());
    headers.add(SagaHeaders.COMMAND_ID, "nobody-here/x/action/1".getBytes());
    headers.add(SagaHeaders.OUTCOME, "success".getBytes());

    // when a reply for a saga this partition does not hold arrives
    saga.pipeRaw("saga.replies", key.getBytes(), null, headers);

    // then it was forwarded once, and only after that (still unknown) became a dead letter
    assertThat(saga.rerouted).hasValue(1);
    assertThat(saga.deadLetters())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("UNKNOWN_SAGA");
              assertThat(header(r, "sagastream-rerouted-from")).isEqualTo("saga.replies");
              assertThat(header(r, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("saga.rerouted");
            });
  }

  @Test
  void aMessageForAKeyWithNoSagaHereThatHashesElsewhereIsForwardedBeforeItIsKept() {
    saga = new SagaTopologyFixture(stateDir.resolve("four-messages"), 4);
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    String key = keyHashingAwayFromPartitionZero();

    saga.message(key, payment(9), Map.of());

    // then it was forwarded once, and kept once after the forward (the driver has one partition,
    // so the forward comes back here)
    assertThat(saga.rerouted).hasValue(1);
    assertThat(saga.eventTypes()).containsExactly("MessageBuffered");
  }

  @Test
  void aStartOnAPartitionItsKeyDoesNotHashToIsForwardedBeforeTheSagaStarts() {
    // given topics of four partitions, and a client whose partitioner put a start on partition 0
    saga = new SagaTopologyFixture(stateDir.resolve("four-starts"), 4);
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    String key = keyHashingAwayFromPartitionZero();

    // when it arrives
    saga.start(key, saga.order(key, 10));

    // then it went through the rerouted topic once, and the saga started after that (the driver
    // has one partition, so the forward comes back here), where its replies and messages go
    assertThat(saga.rerouted).hasValue(1);
    assertThat(saga.eventTypes()).first().isEqualTo("SagaStarted");
    assertThat(saga.commands("inventory.commands")).hasSize(1);
  }

  @Test
  void aCancelForASagaNotHereOnAPartitionItsKeyDoesNotHashToIsForwardedOnce() {
    // given topics of four partitions, and no saga on a key that hashes away from partition 0
    saga = new SagaTopologyFixture(stateDir.resolve("four-cancels"), 4);
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    String key = keyHashingAwayFromPartitionZero();

    // when a cancel for it arrives on partition 0
    saga.cancel(key);

    // then it went through the rerouted topic once, and (no saga there either) became a dead
    // letter saying where it came from
    assertThat(saga.rerouted).hasValue(1);
    assertThat(saga.deadLetters())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("UNKNOWN_SAGA");
              assertThat(header(r, "sagastream-rerouted-from")).isEqualTo("saga.requests");
            });
  }

  @Test
  void aCancelForASagaStartedHereBeforeIsCarriedOutHereThoughItsKeyHashesElsewhere() {
    // given a saga that, started from the rerouted topic, runs on partition 0
    saga = new SagaTopologyFixture(stateDir.resolve("four-kept"), 4);
    givenPaidOrderSaga(SagaTopologyFixture.SAGA, 1, ReceiveTimeoutAction.COMPENSATE);
    String key = keyHashingAwayFromPartitionZero();
    saga.start(key, saga.order(key, 10));
    assertThat(saga.rerouted).hasValue(1);

    // when a cancel for it arrives on partition 0 too
    saga.cancel(key);

    // then the saga here takes it: it is not forwarded away from its saga
    assertThat(saga.rerouted).hasValue(1);
    assertThat(saga.deadLetters()).isEmpty();
    assertThat(saga.eventTypes()).contains("SagaCancellationRequested");
  }

  private static String keyHashingAwayFromPartitionZero() {
    for (int i = 0; ; i++) {
      String key = "order-" + i;
      if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 4 != 0) {
        return key;
      }
    }
  }

  private static GenericRecord payment(long amount) {
    GenericRecord payment = new GenericData.Record(PAYMENT_CONFIRMED);
    payment.put("amount", amount);
    return payment;
  }

  private long amountShipped(TestRecord<byte[], byte[]> ship) {
    GenericRecord command =
        AvroDeserializer.<GenericRecord>generic(saga.registry)
            .deserialize("shipping.commands", ship.value());
    return (Long) command.get("amount");
  }

  private static TestRecord<byte[], byte[]> single(List<TestRecord<byte[], byte[]>> records) {
    assertThat(records).hasSize(1);
    return records.get(0);
  }
}
