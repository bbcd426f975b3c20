package io.sagastream.engine;

import static io.sagastream.engine.ReplyOutcome.FAILURE;
import static io.sagastream.engine.ReplyOutcome.RETRYABLE_FAILURE;
import static io.sagastream.engine.ReplyOutcome.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.engine.Effect.RaiseIncident;
import io.sagastream.engine.Effect.SendCommand;
import io.sagastream.engine.JournalEvent.IgnoredReplyReason;
import io.sagastream.engine.JournalEvent.ReplyIgnored;
import io.sagastream.engine.JournalEvent.StepRetryScheduled;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SagaEngineTest {

  private static final RetryPolicy THREE_TRIES =
      new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 0.0);

  /** Reserve, charge and ship: ship failed, and charge's compensation failed: an incident. */
  private static SagaRun chargeCompensationInIncident() {
    SagaRun run = new SagaRun(SagaRun.definition("reserve", "charge", "ship"));
    run.start();
    run.reply(SUCCESS);
    run.reply(SUCCESS);
    run.reply(FAILURE);
    run.reply(FAILURE);
    return run;
  }

  /** Reserve and charge, three tries each: reserve done, charge sent for its first try. */
  private static SagaRun reserveDoneChargeSent() {
    SagaRun run =
        new SagaRun(
            SagaRun.definition(THREE_TRIES, THREE_TRIES, Optional.empty(), "reserve", "charge"));
    run.start();
    run.reply(SUCCESS);
    return run;
  }

  @Nested
  class HappyPath {

    @Test
    void stepsRunInOrderAndTheSagaCompletes() {
      // given
      SagaRun run = new SagaRun(SagaRun.definition("reserve", "charge", "ship"));

      // when every participant succeeds
      run.start();
      run.reply(SUCCESS);
      run.reply(SUCCESS);
      run.reply(SUCCESS);

      // then
      assertThat(run.sent())
          .containsExactly("reserve action 1", "charge action 1", "ship action 1");
      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPLETED);
      assertThat(run.instance().timers()).isEmpty();
      assertThat(run.events())
          .containsExactly(
              "SagaStarted",
              "StepCommandSent",
              "StepReplyReceived",
              "StepCompleted",
              "StepCommandSent",
              "StepReplyReceived",
              "StepCompleted",
              "StepCommandSent",
              "StepReplyReceived",
              "StepCompleted",
              "SagaCompleted");
    }

    @Test
    void aCommandCarriesItsDerivedIdTopicAndDeadline() {
      SagaRun run = new SagaRun(SagaRun.definition("reserve"));

      SendCommand sent = run.start().effects(SendCommand.class).get(0);

      assertThat(sent.commandId()).isEqualTo("s-1/reserve/action/1");
      assertThat(sent.topic()).isEqualTo("reserve.commands");
      assertThat(sent.deadline()).isEqualTo(SagaRun.T0.plusSeconds(30));
      assertThat(run.instance().timers())
          .containsExactly(new Timer(TimerKind.STEP_TIMEOUT, sent.deadline(), sent.commandId()));
    }

    @Test
    void aSuccessReplyReplacesTheDataAndAFailureDoesNot() {
      // given
      SagaRun run = new SagaRun(SagaRun.definition("reserve", "charge"));
      SagaData merged = SagaData.of(new byte[] {9});
      run.start();

      // when
      run.succeedWith(merged);
      run.replyTo(run.instance().awaited().commandId(), FAILURE, SagaData.of(new byte[] {7}));

      // then
      assertThat(run.instance().data()).isEqualTo(merged);
    }

    @Test
    void journalEventsAreNumberedFromZeroWithoutGaps() {
      SagaRun run = new SagaRun(SagaRun.definition("reserve", "charge"));
      run.start();
      run.reply(SUCCESS);
      run.reply(SUCCESS);

      assertThat(
              run.decisions().stream()
                  .flatMap(d -> d.effects(Effect.PublishEvent.class).stream())
                  .map(Effect.PublishEvent::sequence))
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }
  }

  @Nested
  class Compensation {

    @Test
    void aFailureAtStepThreeUndoesStepsTwoThenOne() {
      // given two completed steps
      SagaRun run = new SagaRun(SagaRun.definition("reserve", "charge", "ship"));
      run.start();
      run.reply(SUCCESS);
      run.reply(SUCCESS);

      // when the third fails for good, and each compensation succeeds
      run.reply(FAILURE);
      run.reply(SUCCESS);
      run.reply(SUCCESS);

      // then
      assertThat(run.sent())
          .containsExactly(
              "reserve action 1",
              "charge action 1",
              "ship action 1",
              "charge compensation 1",
              "reserve compensation 1");
      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATED);
      assertThat(run.events()).contains("StepFailed", "CompensationStarted", "SagaCompensated");
      assertThat(run.instance().timers()).isEmpty();
    }

    @Test
    void aFailureAtTheFirstStepCompensatesNothingAndEndsCompensated() {
      SagaRun run = new SagaRun(SagaRun.definition("reserve", "charge"));
      run.start();

      run.reply(FAILURE);

      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATED);
      assertThat(run.sent()).containsExactly("reserve action 1");
    }

    @Test
    void aStepWithoutCompensationIsPassedOver() {
      // given a middle step with nothing to undo
      SagaDefinition definition =
          new SagaDefinition(
              "order",
              1,
              Optional.empty(),
              java.util.List.of(
                  step("reserve", true), step("notify", false), step("charge", true)));
      SagaRun run = new SagaRun(definition);
      run.start();
      run.reply(SUCCESS);
      run.reply(SUCCESS);

      // when the last step fails
      run.reply(FAILURE);
      run.reply(SUCCESS);

      // then only reserve is undone, and notify is journaled as having nothing to undo
      assertThat(run.sent()).endsWith("charge action 1", "reserve compensation 1");
      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATED);
    }

    @Test
    void aCompensationThatKeepsFailingRaisesAnIncidentThatRetryResolves() {
      // given a saga compensating, whose compensation fails three times
      SagaRun run = reserveDoneChargeSent();
      run.reply(FAILURE);
      run.reply(RETRYABLE_FAILURE);
      run.fire(TimerKind.RETRY_BACKOFF);
      run.reply(RETRYABLE_FAILURE);
      run.fire(TimerKind.RETRY_BACKOFF);
      Decision exhausted = run.reply(RETRYABLE_FAILURE);

      // then an incident is raised
      assertThat(run.instance().status()).isEqualTo(SagaStatus.FAILED);
      assertThat(exhausted.effects(RaiseIncident.class))
          .singleElement()
          .satisfies(
              raised -> {
                assertThat(raised.incident().step()).isEqualTo("reserve");
                assertThat(raised.incident().attempts()).isEqualTo(3);
                assertThat(raised.incident().errorCode()).isEqualTo("E42");
              });

      // when an operator retries, and the compensation now succeeds
      run.resolve(IncidentResolution.RETRY);
      run.reply(SUCCESS);

      // then attempt numbering went on (ids stay unique) and the saga is compensated
      assertThat(run.sent())
          .endsWith(
              "reserve compensation 1",
              "reserve compensation 2",
              "reserve compensation 3",
              "reserve compensation 4");
      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATED);
      assertThat(run.instance().incident()).isNull();
    }

    @Test
    void skippingAnIncidentGoesOnWithTheNextCompensation() {
      // given an incident on charge's compensation, with reserve still to undo
      SagaRun run = chargeCompensationInIncident();
      assertThat(run.instance().incident().step()).isEqualTo("charge");

      // when skipped
      run.resolve(IncidentResolution.SKIP);
      run.reply(SUCCESS);

      // then
      assertThat(run.sent()).endsWith("charge compensation 1", "reserve compensation 1");
      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATED);
    }

    @Test
    void aSkipRepeatedForAnIncidentAlreadySkippedDoesNotSkipTheNextOne() {
      // given an incident on charge's compensation, skipped by an operator who named it
      SagaRun run = chargeCompensationInIncident();
      java.time.Instant first = run.instance().incident().raisedAt();
      run.resolve(IncidentResolution.SKIP, first);
      // and then reserve's compensation fails too, a moment later
      run.advance(Duration.ofSeconds(5));
      run.reply(FAILURE);
      assertThat(run.instance().incident().step()).isEqualTo("reserve");

      // when the first skip comes again (a client's retry of its call)
      Decision repeated = run.resolve(IncidentResolution.SKIP, first);

      // then reserve's incident stands, for an operator to look at, and the journal says why
      assertThat(repeated.events())
          .singleElement()
          .isEqualTo(
              new JournalEvent.IncidentResolutionIgnored(
                  IncidentResolution.SKIP, "operator-1", first));
      assertThat(repeated.effects(SendCommand.class)).isEmpty();
      assertThat(run.instance().incident().step()).isEqualTo("reserve");
      assertThat(run.instance().status()).isEqualTo(SagaStatus.FAILED);
    }

    @Test
    void aResolutionForASagaWithoutAnIncidentIsJournalledAsIgnoredAndChangesNothing() {
      // given a saga waiting for its first step's reply
      SagaRun run = new SagaRun(SagaRun.definition("reserve", "charge"));
      run.start();

      // when an operator asks to retry an incident it does not have
      Decision resolved = run.resolve(IncidentResolution.RETRY);

      // then nothing is sent, the saga runs on, and the journal keeps who asked
      assertThat(resolved.effects(SendCommand.class)).isEmpty();
      assertThat(run.instance().status()).isEqualTo(SagaStatus.RUNNING);
      assertThat(resolved.events())
          .singleElement()
          .isEqualTo(
              new JournalEvent.IncidentResolutionIgnored(
                  IncidentResolution.RETRY, "operator-1", null));
    }
  }

  @Nested
  class RetriesAndTimeouts {

    @Test
    void aRetryableFailureIsRetriedAfterTheBackoffWithANewCommandId() {
      // given
      SagaRun run =
          new SagaRun(SagaRun.definition(THREE_TRIES, THREE_TRIES, Optional.empty(), "reserve"));
      run.start();

      // when
      Decision failed = run.reply(RETRYABLE_FAILURE);

      // then a retry is scheduled 1 s later (no jitter), and sent when its timer fires
      StepRetryScheduled scheduled =
          (StepRetryScheduled)
              failed.events().stream()
                  .filter(StepRetryScheduled.class::isInstance)
                  .findFirst()
                  .orElseThrow();
      assertThat(scheduled.dueAt()).isEqualTo(SagaRun.T0.plusSeconds(1));
      assertThat(run.instance().awaited()).isNull();
      run.fire(TimerKind.RETRY_BACKOFF);
      assertThat(run.instance().awaited().commandId()).isEqualTo("s-1/reserve/action/2");
      assertThat(run.now()).isEqualTo(SagaRun.T0.plusSeconds(1));
    }

    @Test
    void backoffDoublesBetweenTries() {
      SagaRun run =
          new SagaRun(
              SagaRun.definition(
                  new RetryPolicy(4, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 0.0),
                  THREE_TRIES,
                  Optional.empty(),
                  "reserve"));
      run.start();

      run.reply(RETRYABLE_FAILURE);
      var first = run.now();
      run.fire(TimerKind.RETRY_BACKOFF);
      var second = run.now();
      run.reply(RETRYABLE_FAILURE);
      run.fire(TimerKind.RETRY_BACKOFF);
      var third = run.now();

      assertThat(Duration.between(first, second)).isEqualTo(Duration.ofSeconds(1));
      assertThat(Duration.between(second, third)).isEqualTo(Duration.ofSeconds(2));
    }

    /** Reserve done, and charge sent for its third and last try. */
    private SagaRun chargeOnItsLastTry() {
      SagaRun run = reserveDoneChargeSent();
      for (int i = 0; i < 2; i++) {
        run.reply(RETRYABLE_FAILURE);
        run.fire(TimerKind.RETRY_BACKOFF);
      }
      return run;
    }

    @Test
    void whenTriesAreUsedUpTheStepFailsAndTheSagaCompensates() {
      SagaRun run = chargeOnItsLastTry();

      run.reply(RETRYABLE_FAILURE);

      assertThat(run.sent())
          .containsExactly(
              "reserve action 1",
              "charge action 1",
              "charge action 2",
              "charge action 3",
              "reserve compensation 1");
      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATING);
    }

    @Test
    void aStepWhoseLastTryTimedOutIsUndoneFirstSinceItMayHaveDoneItsWork() {
      // given reserve done, and charge on its last try
      SagaRun run = chargeOnItsLastTry();

      // when that try gets no reply in time
      run.fire(TimerKind.STEP_TIMEOUT);

      // then charge, whose outcome is unknown, is undone before reserve
      assertThat(run.sent())
          .containsExactly(
              "reserve action 1",
              "charge action 1",
              "charge action 2",
              "charge action 3",
              "charge compensation 1");
      run.reply(SUCCESS);
      assertThat(run.sent()).endsWith("charge compensation 1", "reserve compensation 1");
    }

    @Test
    void aStepWhoseEarlierTryTimedOutIsUndoneWhenALaterTryFails() {
      // given reserve done, and charge's first try timed out, so it may have charged
      SagaRun run = reserveDoneChargeSent();
      run.fire(TimerKind.STEP_TIMEOUT);
      run.fire(TimerKind.RETRY_BACKOFF);

      // when its next try is refused for good
      run.reply(FAILURE);

      // then charge is undone before reserve, as when its last try timed out
      assertThat(run.sent())
          .containsExactly(
              "reserve action 1", "charge action 1", "charge action 2", "charge compensation 1");
      run.reply(SUCCESS);
      assertThat(run.sent()).endsWith("charge compensation 1", "reserve compensation 1");
    }

    @Test
    void aParticipantsOwnTimeoutCodeOnTheLastTryIsAFailureNotAnUnansweredTry() {
      // given reserve done, and charge on its last try, its earlier tries refused for now
      SagaRun run = reserveDoneChargeSent();
      run.replyTo(
          run.instance().awaited().commandId(), RETRYABLE_FAILURE, null, "timeout", "slow bank");
      run.fire(TimerKind.RETRY_BACKOFF);
      run.replyTo(
          run.instance().awaited().commandId(), RETRYABLE_FAILURE, null, "timeout", "slow bank");
      run.fire(TimerKind.RETRY_BACKOFF);

      // when the last try is refused with the participant's own code "timeout"
      run.replyTo(
          run.instance().awaited().commandId(), RETRYABLE_FAILURE, null, "timeout", "slow bank");

      // then only reserve is undone: every try of charge was answered
      assertThat(run.sent()).endsWith("charge action 3", "reserve compensation 1");
    }

    @Test
    void aCancelWhileATryWaitsForItsBackoffUndoesThatStepFirst() {
      // given reserve done, and charge's first try timed out, its next try waiting
      SagaRun run = reserveDoneChargeSent();
      run.fire(TimerKind.STEP_TIMEOUT);

      // when the saga is cancelled
      run.cancel();

      // then charge, which may have done its work, is undone before reserve, and not tried again
      assertThat(run.sent())
          .containsExactly("reserve action 1", "charge action 1", "charge compensation 1");
      assertThat(run.instance().timers())
          .extracting(Timer::kind)
          .doesNotContain(TimerKind.RETRY_BACKOFF);
      run.reply(SUCCESS);
      assertThat(run.sent()).endsWith("charge compensation 1", "reserve compensation 1");
    }

    @Test
    void aTimeoutCountsAsAFailedTry() {
      SagaRun run =
          new SagaRun(SagaRun.definition(THREE_TRIES, THREE_TRIES, Optional.empty(), "reserve"));
      run.start();

      Decision timedOut = run.fire(TimerKind.STEP_TIMEOUT);

      assertThat(timedOut.events())
          .extracting(JournalEvent::type)
          .containsExactly("StepTimedOut", "StepRetryScheduled");
      assertThat(run.now()).isEqualTo(SagaRun.T0.plusSeconds(30));
    }

    @Test
    void aTimerThatNoLongerMattersChangesNothing() {
      // given a timeout timer, then the reply that makes it moot
      SagaRun run = new SagaRun(SagaRun.definition("reserve", "charge"));
      run.start();
      Timer timeout = run.instance().timers().get(0);
      run.reply(SUCCESS);

      // when the old timer fires anyway (it was cancelled, but a store may still deliver it)
      Decision late = run.fire(timeout);

      // then
      assertThat(late.effects()).isEmpty();
      assertThat(run.instance().awaited().commandId()).isEqualTo("s-1/charge/action/1");
    }
  }

  @Nested
  class DeadlinesAndCancel {

    private SagaRun withOneMinuteDeadline(String... steps) {
      return new SagaRun(
          SagaRun.definition(
              RetryPolicy.DEFAULT, RetryPolicy.DEFAULT, Optional.of(Duration.ofMinutes(1)), steps));
    }

    @Test
    void theDeadlineCompensatesTheStepInFlightFirst() {
      // given a saga with a one-minute deadline, step two in flight
      SagaRun run = withOneMinuteDeadline("reserve", "charge", "ship");
      run.start();
      run.reply(SUCCESS);

      // when the deadline passes
      run.fire(TimerKind.SAGA_DEADLINE);

      // then charge (outcome unknown) is undone, then reserve
      run.reply(SUCCESS);
      run.reply(SUCCESS);
      assertThat(run.sent())
          .containsExactly(
              "reserve action 1",
              "charge action 1",
              "charge compensation 1",
              "reserve compensation 1");
      assertThat(run.events()).contains("SagaDeadlineExpired");
      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATED);
    }

    @Test
    void aRedriveSetsALostDeadlineAgainAndItCompensatesNamingTheSagasOwnDeadline() {
      // given a saga with a one-minute deadline, step two in flight
      SagaRun run = withOneMinuteDeadline("reserve", "charge");
      run.start();
      run.reply(SUCCESS);

      // when its timers were lost, and the recovery scan redrives it an hour later
      run.advance(Duration.ofHours(1));
      run.redrive();

      // then the step in flight is sent again and the deadline is due now, not left behind
      assertThat(run.sent()).endsWith("charge action 1 again");
      assertThat(run.instance().timers())
          .contains(new Timer(TimerKind.SAGA_DEADLINE, run.now(), run.instance().sagaId()));
      run.fire(TimerKind.SAGA_DEADLINE);
      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATING);
      assertThat(
              run.decisions().stream()
                  .flatMap(d -> d.events().stream())
                  .filter(JournalEvent.SagaDeadlineExpired.class::isInstance)
                  .map(e -> ((JournalEvent.SagaDeadlineExpired) e).deadline()))
          .containsExactly(SagaRun.T0.plus(Duration.ofMinutes(1)));
    }

    @Test
    void aStrayReplyToAnEndedSagaIsJournalledButDoesNotRenewIt() {
      // given a saga that completed an hour ago
      SagaRun run = new SagaRun(SagaRun.definition("reserve"));
      run.start();
      run.reply(SUCCESS);
      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPLETED);
      Instant ended = run.instance().updatedAt();
      run.advance(Duration.ofHours(1));

      // when a participant answers its command once more
      run.replyTo("s-1/reserve/action/1", SUCCESS, SagaData.of(new byte[0]));

      // then the reply is journalled as ignored, and the saga's retention still counts from its end
      assertThat(run.events()).endsWith("ReplyIgnored");
      assertThat(run.instance().updatedAt()).isEqualTo(ended);
    }

    @Test
    void cancelCompensatesAndALateReplyToTheCancelledStepIsIgnored() {
      SagaRun run = new SagaRun(SagaRun.definition("reserve", "charge"));
      run.start();
      run.reply(SUCCESS);
      String inFlight = run.instance().awaited().commandId();

      run.cancel();
      Decision late = run.replyTo(inFlight, SUCCESS, null);

      assertThat(late.events()).singleElement().isInstanceOf(ReplyIgnored.class);
      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATING);
      assertThat(run.instance().awaited().commandId()).isEqualTo("s-1/charge/compensation/1");
    }

    @Test
    void cancelWhileCompensatingChangesNothing() {
      SagaRun run = new SagaRun(SagaRun.definition("reserve", "charge"));
      run.start();
      run.reply(SUCCESS);
      run.reply(FAILURE);

      Decision again = run.cancel();

      assertThat(again.effects()).isEmpty();
    }
  }

  @Nested
  class RepliesThatAreNotAwaited {

    @Test
    void aDuplicateAStaleAttemptAndAStrangerAreEachIgnoredWithTheirReason() {
      // given a step retried once after its first attempt timed out
      SagaRun run =
          new SagaRun(
              SagaRun.definition(THREE_TRIES, THREE_TRIES, Optional.empty(), "reserve", "charge"));
      run.start();
      String first = run.instance().awaited().commandId();
      run.fire(TimerKind.STEP_TIMEOUT);
      run.fire(TimerKind.RETRY_BACKOFF);

      // when a late reply to attempt 1 comes, then attempt 2 succeeds twice, then a stranger
      // replies
      Decision stale = run.replyTo(first, SUCCESS, null);
      String second = run.instance().awaited().commandId();
      run.reply(SUCCESS);
      Decision duplicate = run.replyTo(second, SUCCESS, null);
      Decision stranger = run.replyTo("someone-else/x/action/1", SUCCESS, null);

      // then
      assertThat(reason(stale)).isEqualTo(IgnoredReplyReason.STALE_ATTEMPT);
      assertThat(reason(duplicate)).isEqualTo(IgnoredReplyReason.DUPLICATE);
      assertThat(reason(stranger)).isEqualTo(IgnoredReplyReason.NOT_AWAITED);
      assertThat(run.sent())
          .containsExactly("reserve action 1", "reserve action 2", "charge action 1");
    }

    private IgnoredReplyReason reason(Decision decision) {
      return ((ReplyIgnored) decision.events().get(0)).reason();
    }
  }

  @Nested
  class EndedAndRepeated {

    @Test
    void anEndedSagaAbsorbsEveryCommand() {
      SagaRun run = new SagaRun(SagaRun.definition("reserve"));
      run.start();
      run.reply(SUCCESS);
      SagaInstance ended = run.instance();

      assertThat(run.cancel().effects()).isEmpty();
      assertThat(run.resolve(IncidentResolution.RETRY).effects()).isEmpty();
      assertThat(run.redrive().effects()).isEmpty();
      assertThat(run.replyTo("s-1/reserve/action/1", FAILURE, null).effects(SendCommand.class))
          .isEmpty();
      assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPLETED);
      assertThat(run.instance().data()).isEqualTo(ended.data());
    }

    @Test
    void startingAgainWhileOpenChangesNothingAndAfterTheEndStartsANewInstance() {
      SagaRun run = new SagaRun(SagaRun.definition("reserve"));
      run.start();

      assertThat(run.start().effects()).isEmpty();
      run.reply(SUCCESS);
      Decision again =
          run.decide(new EngineCommand.StartSaga("s-2", "order-1", "r-2", "tester", SagaRun.DATA));

      assertThat(again.instance().sagaId()).isEqualTo("s-2");
      assertThat(again.instance().status()).isEqualTo(SagaStatus.RUNNING);
    }

    @Test
    void theSameStartRequestAfterTheSagaEndedStartsNothing() {
      // given a saga started by request r-1 that has ended
      SagaRun run = new SagaRun(SagaRun.definition("reserve"));
      run.start();
      run.reply(SUCCESS);

      // when request r-1 arrives again (a client retried it)
      Decision again = run.start();

      // then no second instance reuses its ids
      assertThat(again.effects()).isEmpty();
      assertThat(run.sent()).containsExactly("reserve action 1");
    }

    @Test
    void redriveSendsTheAwaitedCommandAgainUnderItsOwnId() {
      SagaRun run = new SagaRun(SagaRun.definition("reserve"));
      run.start();
      run.advance(Duration.ofSeconds(10));

      Decision redriven = run.redrive();

      assertThat(redriven.effects(SendCommand.class))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.commandId()).isEqualTo("s-1/reserve/action/1");
                assertThat(s.redelivery()).isTrue();
              });
      assertThat(run.instance().timers())
          .singleElement()
          .satisfies(t -> assertThat(t.dueAt()).isEqualTo(SagaRun.T0.plusSeconds(40)));
    }

    @Test
    void aCommandWithoutAnInstanceDecidesNothing() {
      Decision decision =
          SagaEngine.decide(
              SagaRun.definition("reserve"),
              null,
              new EngineCommand.CancelSaga("x", null),
              SagaRun.T0);

      assertThat(decision.instance()).isNull();
      assertThat(decision.effects()).isEmpty();
    }
  }

  private static StepDefinition step(String name, boolean compensable) {
    return new StepDefinition(
        name,
        name + ".commands",
        compensable ? Optional.of(name + ".commands") : Optional.empty(),
        Duration.ofSeconds(30),
        RetryPolicy.DEFAULT,
        RetryPolicy.DEFAULT);
  }
}
