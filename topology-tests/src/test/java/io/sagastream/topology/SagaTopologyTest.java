package io.sagastream.topology;

import static io.sagastream.contracts.SagaHeaders.OUTCOME_FAILURE;
import static io.sagastream.contracts.SagaHeaders.OUTCOME_RETRYABLE_FAILURE;
import static io.sagastream.contracts.SagaHeaders.OUTCOME_SUCCESS;
import static io.sagastream.topology.SagaTopologyFixture.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.contracts.DeadLetterHeaders;
import io.sagastream.contracts.MessageHeaders;
import io.sagastream.contracts.SagaHeaders;
import io.sagastream.contracts.v1.DeadLetterReason;
import io.sagastream.contracts.v1.IncidentResolution;
import io.sagastream.definition.CommandSpec;
import io.sagastream.definition.DefinitionSpec;
import io.sagastream.definition.SchemaSource;
import io.sagastream.engine.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SagaTopologyTest {

  private static final RetryPolicy TWO_TRIES_TWO_SECONDS_APART =
      new RetryPolicy(2, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 0.0);

  @TempDir Path stateDir;
  private SagaTopologyFixture saga;

  @AfterEach
  void close() {
    if (saga != null) {
      saga.close();
    }
  }

  private SagaTopologyFixture given(RetryPolicy retry, Duration deadline) {
    saga = SagaTopologyFixture.withOrderFulfilment(stateDir.resolve("node"), retry, deadline);
    return saga;
  }

  @Test
  void everyStepSucceedsAndTheSagaCompletesWithCommandsBuiltFromTheData() {
    // given
    given(RetryPolicy.DEFAULT, null).start("order-1", saga.order("order-1", 1999));

    // when each participant succeeds; inventory replies with a reservation id
    TestRecord<byte[], byte[]> reserve = single(saga.commands("inventory.commands"));
    GenericRecord reserved = new GenericData.Record(SagaTopologyFixture.RESERVED);
    reserved.put("reservationId", "res-7");
    saga.reply(reserve, OUTCOME_SUCCESS, reserved);
    saga.reply(single(saga.commands("payment.commands")), OUTCOME_SUCCESS, null);
    saga.reply(single(saga.commands("shipping.commands")), OUTCOME_SUCCESS, null);

    // then
    assertThat(saga.eventTypes()).startsWith("SagaStarted").endsWith("SagaCompleted");
    assertThat(new String(reserve.key(), StandardCharsets.UTF_8)).isEqualTo("order-1");
    assertThat(header(reserve, SagaHeaders.COMMAND_ID)).endsWith("/reserve-inventory/action/1");
    assertThat(header(reserve, SagaHeaders.SAGA_KIND)).isEqualTo("action");
    assertThat(header(reserve, SagaHeaders.REPLY_TO)).isEqualTo("saga.replies");
    assertThat(header(reserve, SagaHeaders.TRACEPARENT)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(header(reserve, SagaHeaders.DEADLINE)).isEqualTo("2026-03-01T10:00:30Z");
    assertThat(reserve.value()[0]).isZero();
    assertThat(saga.deadLetters()).isEmpty();
  }

  @Test
  void aReplyThatWouldMakeTheSagaTooLargeToWriteIsDeadLetteredAndNothingOfItIsWritten() {
    // given a node whose producer takes requests of at most 4 KiB, and a saga waiting for a reply
    saga =
        SagaTopologyFixture.withOrderFulfilment(
            stateDir.resolve("small"),
            RetryPolicy.DEFAULT,
            null,
            Map.of("producer.max.request.size", 4096));
    saga.start("order-big", saga.order("order-big", 1));
    TestRecord<byte[], byte[]> reserve = single(saga.commands("inventory.commands"));
    int eventsBefore = saga.eventTypes().size();

    // when the reply carries a reservation id that would make the saga's state larger than that
    GenericRecord reserved = new GenericData.Record(SagaTopologyFixture.RESERVED);
    reserved.put("reservationId", "r".repeat(5000));
    saga.reply(reserve, OUTCOME_SUCCESS, reserved);

    // then the reply is a dead letter saying so, and no command or event came of it
    assertThat(
            header(
                assertSingleDeadLetter("PROCESSING_FAILED", "saga.replies"),
                DeadLetterHeaders.MESSAGE))
        .contains("grew too large");
    assertThat(saga.commands("payment.commands")).isEmpty();
    assertThat(saga.eventTypes()).hasSize(eventsBefore);
  }

  @Test
  void aJournalEventThatCannotBeWrittenSendsNoneOfItsDecisionsCommands() {
    // given a registry that takes the journal's schema once more, then refuses it
    given(RetryPolicy.DEFAULT, null);
    String journalSubject = saga.topics.events() + "-value";
    saga.registry.refuseAfter(journalSubject, 1);

    // when a start comes in, whose SagaStarted is written but whose StepCommandSent is not
    saga.start("order-31", saga.order("order-31", 1));

    // then the start is a dead letter, and neither its command nor its saga stands
    assertSingleDeadLetter("PROCESSING_FAILED", "saga.requests");
    assertThat(saga.commands("inventory.commands")).isEmpty();
    assertThat(saga.eventTypes()).isEmpty();
    assertThat(saga.count(TopologyNames.INSTANCE_STORE)).isZero();

    // and once the registry takes the schema again, the same start runs
    saga.registry.refuseAfter(journalSubject, -1);
    saga.start("order-31", saga.order("order-31", 1));
    assertThat(saga.commands("inventory.commands")).hasSize(1);
  }

  @Test
  void aSecondStartOnAKeyWhoseSagaIsOpenIsADeadLetterNamingThatSaga() {
    // given a saga open on a key
    given(RetryPolicy.DEFAULT, null).start("order-32", saga.order("order-32", 1));
    saga.commands("inventory.commands");

    // when another request starts the same definition on that key
    saga.start("order-32", saga.order("order-32", 2));

    // then it is a dead letter saying which saga is open, and the open saga goes on alone
    assertThat(saga.deadLetters())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("SAGA_ALREADY_OPEN");
              assertThat(header(r, DeadLetterHeaders.MESSAGE))
                  .contains("order-fulfilment:order-32:")
                  .contains("send it again once that saga has ended");
            });
    assertThat(saga.commands("inventory.commands")).isEmpty();
    assertThat(saga.eventTypes()).containsOnlyOnce("SagaStarted");
  }

  @Test
  void aDeadLetterLeavesAValueTooLargeToCopyAtItsSourceAndSaysHowLargeItWas() {
    // given a node whose producer takes requests of at most 4 KiB
    saga =
        SagaTopologyFixture.withOrderFulfilment(
            stateDir.resolve("small-dead-letter"),
            RetryPolicy.DEFAULT,
            null,
            Map.of("producer.max.request.size", 4096));

    // when an unreadable request of 5000 bytes comes in
    saga.pipeRaw(
        "saga.requests",
        "order-x".getBytes(StandardCharsets.UTF_8),
        new byte[5000],
        new RecordHeaders());

    // then its dead letter names its source and size, without the value the producer would refuse
    assertThat(saga.deadLetters())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("UNREADABLE_VALUE");
              assertThat(header(r, DeadLetterHeaders.VALUE_OMITTED)).isEqualTo("5000");
              assertThat(header(r, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("saga.requests");
              assertThat(r.value()).isNull();
            });
  }

  @Test
  void aStartNamingAVersionThisNodeHasNotSeenYetRunsTheLatestItHas() {
    // given a node that knows version 1 of the definition only
    given(RetryPolicy.DEFAULT, null);

    // when a start names version 2, deployed a moment ago through another node
    saga.start("order-v2", SagaTopologyFixture.SAGA, 2, saga.order("order-v2", 5));

    // then the saga runs version 1 rather than the start being lost to dead letters
    assertThat(saga.deadLetters()).isEmpty();
    assertThat(saga.commands("inventory.commands")).hasSize(1);
  }

  @Test
  void aStartNamingAVersionRunsThatVersionNotTheLatest() {
    // given a node that knows versions 1 and 2, where version 2 begins with another step
    given(RetryPolicy.DEFAULT, null);
    saga.deploy(
        DefinitionSpec.builder(SagaTopologyFixture.SAGA)
            .data(new SchemaSource.Inline(SagaTopologyFixture.DATA))
            .step(
                "charge-payment",
                new CommandSpec(
                    "payment.commands",
                    new SchemaSource.Inline(SagaTopologyFixture.CHARGE),
                    Optional.empty()),
                new CommandSpec(
                    "payment.commands",
                    new SchemaSource.Inline(SagaTopologyFixture.REFUND),
                    Optional.empty()))
            .build(),
        2);

    // when a start names version 1, the version its data was checked against
    saga.start("order-v1", SagaTopologyFixture.SAGA, 1, saga.order("order-v1", 5));

    // then version 1's first step runs
    assertThat(saga.commands("inventory.commands")).hasSize(1);
    assertThat(saga.commands("payment.commands")).isEmpty();
  }

  @Test
  void aFailureAtTheThirdStepCompensatesTheSecondThenTheFirst() {
    given(RetryPolicy.DEFAULT, null).start("order-2", saga.order("order-2", 500));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);
    saga.reply(single(saga.commands("payment.commands")), OUTCOME_SUCCESS, null);

    // when shipping fails for good
    saga.reply(single(saga.commands("shipping.commands")), OUTCOME_FAILURE, null);
    TestRecord<byte[], byte[]> refund = single(saga.commands("payment.commands"));
    assertThat(saga.commands("inventory.commands")).as("release waits for the refund").isEmpty();
    saga.reply(refund, OUTCOME_SUCCESS, null);
    TestRecord<byte[], byte[]> release = single(saga.commands("inventory.commands"));
    saga.reply(release, OUTCOME_SUCCESS, null);

    // then
    assertThat(header(refund, SagaHeaders.SAGA_KIND)).isEqualTo("compensation");
    assertThat(header(release, SagaHeaders.SAGA_STEP)).isEqualTo("reserve-inventory");
    assertThat(saga.eventTypes())
        .contains("StepFailed", "CompensationStarted")
        .endsWith("SagaCompensated");
  }

  @Test
  void aRetryIsSentWhenItsBackoffHasPassedNotBefore() {
    given(TWO_TRIES_TWO_SECONDS_APART, null).start("order-3", saga.order("order-3", 1));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_RETRYABLE_FAILURE, null);

    saga.advance(Duration.ofMillis(1900));
    assertThat(saga.commands("inventory.commands")).isEmpty();

    saga.advance(Duration.ofMillis(200));
    TestRecord<byte[], byte[]> retry = single(saga.commands("inventory.commands"));
    assertThat(header(retry, SagaHeaders.ATTEMPT)).isEqualTo("2");
    assertThat(header(retry, SagaHeaders.COMMAND_ID)).endsWith("/reserve-inventory/action/2");
  }

  @Test
  void anUnansweredCommandTimesOutAndIsRetried() {
    given(TWO_TRIES_TWO_SECONDS_APART, null).start("order-4", saga.order("order-4", 1));
    single(saga.commands("inventory.commands"));

    saga.advance(Duration.ofSeconds(30));
    saga.advance(Duration.ofSeconds(2));

    assertThat(saga.eventTypes()).contains("StepTimedOut", "StepRetryScheduled");
    assertThat(header(single(saga.commands("inventory.commands")), SagaHeaders.ATTEMPT))
        .isEqualTo("2");
  }

  @Test
  void theDeadlineCompensatesWhatWasDone() {
    given(RetryPolicy.DEFAULT, Duration.ofSeconds(10)).start("order-5", saga.order("order-5", 1));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);
    single(saga.commands("payment.commands"));

    saga.advance(Duration.ofSeconds(11));

    assertThat(saga.eventTypes()).contains("SagaDeadlineExpired", "CompensationStarted");
    TestRecord<byte[], byte[]> refund = single(saga.commands("payment.commands"));
    assertThat(header(refund, SagaHeaders.SAGA_KIND)).isEqualTo("compensation");
  }

  @Test
  void cancelCompensatesWhatWasDone() {
    given(RetryPolicy.DEFAULT, null).start("order-6", saga.order("order-6", 1));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);
    single(saga.commands("payment.commands"));

    saga.cancel("order-6");

    assertThat(saga.eventTypes()).contains("SagaCancellationRequested", "CompensationStarted");
    assertThat(header(single(saga.commands("payment.commands")), SagaHeaders.SAGA_KIND))
        .isEqualTo("compensation");
  }

  @Test
  void duplicateAndStaleRepliesAreJournaledAndIgnored() {
    given(TWO_TRIES_TWO_SECONDS_APART, null).start("order-7", saga.order("order-7", 1));
    TestRecord<byte[], byte[]> first = single(saga.commands("inventory.commands"));
    saga.advance(Duration.ofSeconds(30));
    saga.advance(Duration.ofSeconds(2));
    TestRecord<byte[], byte[]> second = single(saga.commands("inventory.commands"));

    saga.reply(first, OUTCOME_SUCCESS, null);
    saga.reply(second, OUTCOME_SUCCESS, null);
    saga.reply(second, OUTCOME_SUCCESS, null);

    assertThat(saga.eventTypes().stream().filter("ReplyIgnored"::equals)).hasSize(2);
    assertThat(saga.commands("payment.commands")).hasSize(1);
  }

  @Test
  void poisonInputGoesToDeadLettersWithItsReasonAndTheNodeKeepsWorking() {
    given(RetryPolicy.DEFAULT, null);

    // when garbage, an unknown definition, a reply without headers and one for no saga arrive
    saga.pipeRaw("saga.requests", bytes("order-8"), "not avro".getBytes(), new RecordHeaders());
    saga.pipeRaw("saga.replies", bytes("order-8"), null, new RecordHeaders());
    RecordHeaders stranger = new RecordHeaders();
    stranger.add(SagaHeaders.SAGA_ID, bytes("nobody"));
    stranger.add(SagaHeaders.COMMAND_ID, bytes("nobody/x/action/1"));
    stranger.add(SagaHeaders.OUTCOME, bytes("success"));
    saga.pipeRaw("saga.replies", bytes("order-8"), null, stranger);
    RecordHeaders badOutcome = new RecordHeaders(stranger.toArray());
    badOutcome.remove(SagaHeaders.OUTCOME);
    badOutcome.add(SagaHeaders.OUTCOME, bytes("maybe"));
    saga.pipeRaw("saga.replies", bytes("order-8"), null, badOutcome);

    // then each is a dead letter saying why and where from
    List<TestRecord<byte[], byte[]>> dead = saga.deadLetters();
    assertThat(dead)
        .extracting(r -> header(r, DeadLetterHeaders.REASON))
        .containsExactly("UNREADABLE_VALUE", "MISSING_HEADER", "UNKNOWN_SAGA", "MALFORMED_HEADER");
    assertThat(header(dead.get(0), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("saga.requests");
    assertThat(header(dead.get(0), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(dead.get(0).value()).isEqualTo("not avro".getBytes());
    assertThat(header(dead.get(3), DeadLetterHeaders.MESSAGE)).contains("maybe");

    // and the node still runs sagas
    saga.start("order-9", saga.order("order-9", 1));
    assertThat(saga.commands("inventory.commands")).hasSize(1);
  }

  @Test
  void aKeyThatIsNotTextOrHoldsAControlCharacterIsADeadLetterAndStartsNothing() {
    given(RetryPolicy.DEFAULT, null);

    // when a start arrives on a key holding the stores' separator, a request on a key that is not
    // UTF-8, and a message whose name holds a control character, each written around the API
    saga.start("order-20\u0000x", saga.order("order-20", 1));
    saga.pipeRaw(
        "saga.requests", new byte[] {(byte) 0xC3, (byte) 0x28}, bytes("x"), new RecordHeaders());
    saga.message(
        "order-21", saga.order("order-21", 1), Map.of(MessageHeaders.MESSAGE_NAME, "Paid\u0000"));

    // then each is a dead letter saying what is wrong with it, and no saga started
    assertThat(saga.deadLetters())
        .extracting(
            r -> header(r, DeadLetterHeaders.REASON) + ": " + header(r, DeadLetterHeaders.MESSAGE))
        .containsExactly(
            "UNREADABLE_KEY: the saga key holds a control character",
            "UNREADABLE_KEY: the saga key is not UTF-8 text",
            "MALFORMED_HEADER: header "
                + MessageHeaders.MESSAGE_NAME
                + " holds a control character");
    assertThat(saga.commands("inventory.commands")).isEmpty();
    assertThat(saga.count(TopologyNames.INSTANCE_STORE)).isZero();
  }

  @Test
  void aKeyOrMessageIdLongerThanTheStoresTakeIsADeadLetterAndStartsNothing() {
    given(RetryPolicy.DEFAULT, null);
    String longKey = "order-" + "x".repeat(InstanceKeys.LONGEST_PART);

    // when a start on a key of 1006 characters and a message with an id as long arrive
    saga.start(longKey, saga.order("order-22", 1));
    saga.message("order-23", saga.order("order-23", 1), Map.of(MessageHeaders.MESSAGE_ID, longKey));

    // then each is a dead letter saying so, and nothing is kept
    assertThat(saga.deadLetters())
        .extracting(r -> header(r, DeadLetterHeaders.REASON))
        .containsExactly("UNREADABLE_KEY", "MALFORMED_HEADER");
    assertThat(saga.deadLetters())
        .allSatisfy(r -> assertThat(header(r, DeadLetterHeaders.MESSAGE)).contains("longer than"));
    assertThat(saga.count(TopologyNames.INSTANCE_STORE)).isZero();
    assertThat(saga.count(TopologyNames.INBOX_STORE)).isZero();
  }

  @Test
  void anUnexpectedFailureSendsTheInputToDeadLettersAndTheNodeGoesOn() {
    // given a saga whose stored instance has been corrupted
    given(RetryPolicy.DEFAULT, null).start("order-13", saga.order("order-13", 1));
    saga.overwriteInstance("order-13", "{not json".getBytes());

    // when a request for it arrives
    saga.cancel("order-13");

    // then the request is a dead letter saying processing failed, counted as the processor's own
    // dead letters are, and other sagas still run
    assertSingleDeadLetter("PROCESSING_FAILED", "saga.requests");
    assertThat(saga.deadLettered)
        .containsExactly(java.util.Map.entry(DeadLetterReason.PROCESSING_FAILED, 1));
    saga.commands("inventory.commands");
    saga.start("order-14", saga.order("order-14", 1));
    assertThat(saga.commands("inventory.commands")).hasSize(1);
  }

  @Test
  void theRecoveryScanRedrivesAnInstanceWhoseTimersWereLostWithTheSameCommandId() {
    // given an instance awaiting a reply whose timeout timer was lost from the timer store
    given(RetryPolicy.DEFAULT, null).start("order-15", saga.order("order-15", 1));
    TestRecord<byte[], byte[]> sent = single(saga.commands("inventory.commands"));
    saga.loseTimers();

    // when no progress is made for longer than the recovery age
    saga.advance(Duration.ofMinutes(6));

    // then the same command is sent again, and the instance waits with a timer again
    TestRecord<byte[], byte[]> again = single(saga.commands("inventory.commands"));
    assertThat(header(again, SagaHeaders.COMMAND_ID))
        .isEqualTo(header(sent, SagaHeaders.COMMAND_ID));
    assertThat(saga.eventTypes()).contains("SagaRedriven");
    assertThat(saga.pendingTimers()).isOne();
  }

  @Test
  void repliesReportTheirRoundTripAndTheRecoveryScanCountsWhatTheTaskHolds() {
    // given a saga whose first participant answers 1.5 s after the command went out
    given(RetryPolicy.DEFAULT, null).start("order-40", saga.order("order-40", 1));
    TestRecord<byte[], byte[]> reserve = single(saga.commands("inventory.commands"));
    saga.advance(Duration.ofMillis(1500));
    saga.reply(reserve, OUTCOME_SUCCESS, null);

    // when a recovery scan runs
    saga.advance(Duration.ofSeconds(31));

    // then the round trip was measured, and the census counts one running saga and its timer
    assertThat(saga.stepReplies).containsExactly("reserve-inventory action success 1500");
    TaskCensus census = saga.lastCensus.get();
    assertThat(census).isNotNull();
    assertThat(census.instances().get(SagaTopologyFixture.SAGA))
        .containsEntry(io.sagastream.engine.SagaStatus.RUNNING, 1L);
    assertThat(census.timersPending()).isEqualTo(saga.pendingTimers());
    assertThat(census.timersPending()).isPositive();
    assertThat(census.inboxMessages()).isZero();
  }

  @Test
  void theRecoveryScanRemovesSagasThatEndedLongerAgoThanTheRetentionAndKeepsTheRest() {
    // given a saga that completes now, and another that completes six days later
    given(RetryPolicy.DEFAULT, null).start("order-50", saga.order("order-50", 1));
    completeEveryStep();
    saga.advance(Duration.ofDays(6));
    saga.start("order-51", saga.order("order-51", 1));
    completeEveryStep();

    // when two more days pass, so that only the first ended more than the 7-day retention ago
    saga.advance(Duration.ofDays(2));

    // then the scan removed the first one only, and counts what is left
    assertThat(saga.endedRemoved).hasValue(1);
    assertThat(saga.count(TopologyNames.INSTANCE_STORE)).isOne();
    assertThat(saga.lastCensus.get().instances().get(SagaTopologyFixture.SAGA))
        .containsExactlyEntriesOf(java.util.Map.of(io.sagastream.engine.SagaStatus.COMPLETED, 1L));
  }

  @Test
  void aTaskCountsItsInstancesAtItsFirstPunctuationNotARecoveryIntervalLater() {
    // given a task that holds sagas, as one just taken over from another node does
    given(RetryPolicy.DEFAULT, null).start("order-70", saga.order("order-70", 1));
    saga.start("order-71", saga.order("order-71", 1));

    // when its first punctuation runs, one timer interval in
    saga.advance(Duration.ofMillis(100));

    // then the census counts them already: the node's instance gauges do not lack the task for
    // a whole recovery interval
    assertThat(saga.lastCensus.get()).isNotNull();
    assertThat(saga.lastCensus.get().instances().get(SagaTopologyFixture.SAGA).values())
        .containsExactly(2L);
  }

  @Test
  void theRecoveryScanReadsALargeTaskInSlicesAndCountsEveryInstanceOnce() {
    // given more instances than one slice of the scan reads
    int started = RecoveryScan.SLICE_SIZE * 2 + 100;
    given(RetryPolicy.DEFAULT, null);
    for (int i = 0; i < started; i++) {
      saga.start("order-" + (1000 + i), saga.order("order-" + (1000 + i), 1));
    }

    // when the recovery interval has passed, the first punctuation reads one slice only
    saga.advance(Duration.ofSeconds(30));
    assertThat(saga.lastCensus.get()).isNull();

    // then the pass finishes two punctuations later, having counted each instance once
    saga.advance(Duration.ofMillis(100));
    assertThat(saga.lastCensus.get()).isNull();
    saga.advance(Duration.ofMillis(100));
    assertThat(saga.lastCensus.get().instances().get(SagaTopologyFixture.SAGA).values())
        .containsExactly((long) started);
  }

  @Test
  void theRecoveryScanSkipsAnUnreadableInstanceAndCountsTheOthers() {
    // given two sagas, one of whose stored instances has been damaged
    given(RetryPolicy.DEFAULT, null).start("order-60", saga.order("order-60", 1));
    saga.start("order-61", saga.order("order-61", 1));
    saga.overwriteInstance("order-60", "{not an instance".getBytes(StandardCharsets.UTF_8));

    // when a recovery pass runs
    saga.advance(Duration.ofSeconds(30));

    // then it finished and counted the readable one
    assertThat(saga.lastCensus.get().instances().get(SagaTopologyFixture.SAGA).values())
        .containsExactly(1L);
  }

  private void completeEveryStep() {
    for (String participant : List.of("inventory", "payment", "shipping")) {
      saga.reply(single(saga.commands(participant + ".commands")), OUTCOME_SUCCESS, null);
    }
  }

  @Test
  void aRunningInstanceStaysOnItsVersionWhileNewStartsTakeTheLatest() {
    // given an instance of version 1 past its first step
    given(RetryPolicy.DEFAULT, null).start("order-16", saga.order("order-16", 1));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);
    single(saga.commands("payment.commands"));

    // when version 2, with one step only, is deployed and another saga starts
    saga.deploy(
        DefinitionSpec.builder(SagaTopologyFixture.SAGA)
            .data(new SchemaSource.Inline(SagaTopologyFixture.DATA))
            .step(
                "ship-only",
                new CommandSpec(
                    "shipping.commands",
                    new SchemaSource.Inline(SagaTopologyFixture.SHIP),
                    java.util.Optional.empty()))
            .build(),
        2);
    saga.start("order-17", saga.order("order-17", 1));

    // then the new saga runs version 2, and the old one goes on with version 1's steps
    assertThat(header(single(saga.commands("shipping.commands")), SagaHeaders.SAGA_STEP))
        .isEqualTo("ship-only");
    assertThat(saga.commands("payment.commands")).isEmpty();
    saga.cancel("order-16");
    assertThat(header(single(saga.commands("payment.commands")), SagaHeaders.SAGA_STEP))
        .isEqualTo("charge-payment");
  }

  @Test
  void aStartForAnUndeployedDefinitionIsADeadLetter() {
    saga = new SagaTopologyFixture(stateDir.resolve("empty"));

    saga.start("order-10", saga.order("order-10", 1));

    assertThat(saga.deadLetters())
        .singleElement()
        .satisfies(
            r -> assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("UNKNOWN_DEFINITION"));
  }

  @Test
  void aDefinitionWrittenAroundTheApiWithATopicKafkaCannotNameSendsItsStartsToDeadLetters() {
    // given a definition on the definitions topic whose first command's topic has a space
    saga = new SagaTopologyFixture(stateDir.resolve("around"));
    saga.deployAroundTheApi(
        SagaTopologyFixture.orderFulfilment(RetryPolicy.DEFAULT, RetryPolicy.DEFAULT, null),
        1,
        deployed -> deployed.getSteps().get(0).getAction().put("topic", "inventory commands"));

    // when a saga of it starts
    saga.start("order-14", saga.order("order-14", 1));

    // then the start is a dead letter naming the topic, and nothing was sent
    assertThat(saga.deadLetters())
        .singleElement()
        .satisfies(
            r -> assertThat(header(r, DeadLetterHeaders.MESSAGE)).contains("inventory commands"));
    assertThat(saga.sentCommands()).isEmpty();
  }

  @Test
  void aTimerThatCannotFireLeavesTheOtherTimersOfItsRunToFire() {
    // given two sagas waiting on their first step, due to time out together, the first one's
    // stored instance corrupted
    given(RetryPolicy.DEFAULT, null).start("order-20", saga.order("order-20", 1));
    saga.start("order-21", saga.order("order-21", 1));
    saga.overwriteInstance("order-20", "{not json".getBytes());

    // when their step timeouts fall due in one run of the timers
    saga.advance(Duration.ofSeconds(31));

    // then the second saga's timeout fires, though the first's could not
    assertThat(saga.events())
        .filteredOn(e -> e.getEvent().getClass().getSimpleName().equals("StepTimedOut"))
        .extracting(e -> e.getSagaKey())
        .containsExactly("order-21");
  }

  @Test
  void aCompensationThatKeepsFailingRaisesAnIncidentWhichRetryResolves() {
    // given a saga whose refund fails twice (its policy allows two tries)
    saga = new SagaTopologyFixture(stateDir.resolve("incident"));
    saga.deploy(
        SagaTopologyFixture.orderFulfilment(RetryPolicy.DEFAULT, TWO_TRIES_TWO_SECONDS_APART, null),
        1);
    saga.start("order-11", saga.order("order-11", 1));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);
    saga.reply(single(saga.commands("payment.commands")), OUTCOME_SUCCESS, null);
    saga.reply(single(saga.commands("shipping.commands")), OUTCOME_FAILURE, null);
    saga.reply(single(saga.commands("payment.commands")), OUTCOME_RETRYABLE_FAILURE, null);
    saga.advance(Duration.ofSeconds(2));
    saga.reply(single(saga.commands("payment.commands")), OUTCOME_RETRYABLE_FAILURE, null);
    assertThat(saga.eventTypes()).contains("IncidentRaised").endsWith("SagaFailed");

    // when an operator retries it, and the refund now succeeds
    saga.resolve("order-11", IncidentResolution.RETRY);
    TestRecord<byte[], byte[]> third = single(saga.commands("payment.commands"));
    saga.reply(third, OUTCOME_SUCCESS, null);
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_SUCCESS, null);

    // then
    assertThat(header(third, SagaHeaders.ATTEMPT)).isEqualTo("3");
    assertThat(saga.eventTypes()).contains("IncidentResolved").endsWith("SagaCompensated");
  }

  @Test
  void timersPendingWhenTheNodeStopsFireAfterItRestarts() {
    // given a retry scheduled two seconds ahead
    given(TWO_TRIES_TWO_SECONDS_APART, null).start("order-12", saga.order("order-12", 1));
    saga.reply(single(saga.commands("inventory.commands")), OUTCOME_RETRYABLE_FAILURE, null);

    // when the node restarts on the same state directory and time passes
    saga.restart();
    assertThat(saga.pendingTimers()).as("timers kept across the restart").isOne();
    saga.advance(Duration.ofSeconds(3));

    // then the retry is sent
    assertThat(header(single(saga.commands("inventory.commands")), SagaHeaders.ATTEMPT))
        .isEqualTo("2");
  }

  private static TestRecord<byte[], byte[]> single(List<TestRecord<byte[], byte[]>> records) {
    assertThat(records).hasSize(1);
    return records.get(0);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Asserts one dead letter, of {@code reason} from {@code sourceTopic}, and returns it. */
  private TestRecord<byte[], byte[]> assertSingleDeadLetter(String reason, String sourceTopic) {
    List<TestRecord<byte[], byte[]>> deadLetters = saga.deadLetters();
    assertThat(deadLetters).hasSize(1);
    TestRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
    assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo(reason);
    assertThat(header(deadLetter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(sourceTopic);
    return deadLetter;
  }
}
