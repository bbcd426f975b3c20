package io.sagastream.engine;

import static io.sagastream.engine.ReplyOutcome.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.engine.Effect.AwaitMessage;
import io.sagastream.engine.EngineCommand.DeliverMessage;
import io.sagastream.engine.ReceiveSpec.ReceiveTimeoutAction;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiveStepTest {

  private static SagaRun run(ReceiveTimeoutAction onTimeout) {
    return run(onTimeout, Optional.empty());
  }

  private static SagaRun run(ReceiveTimeoutAction onTimeout, Optional<Duration> deadline) {
    RetryPolicy policy = RetryPolicy.DEFAULT;
    return new SagaRun(
        new SagaDefinition(
            "order",
            1,
            deadline,
            List.of(
                new StepDefinition(
                    "reserve", "r.c", Optional.of("r.c"), Duration.ofSeconds(30), policy, policy),
                StepDefinition.receiving(
                    "await-payment",
                    new ReceiveSpec(
                        "PaymentConfirmed", Optional.of(Duration.ofHours(1)), onTimeout)),
                new StepDefinition(
                    "ship", "s.c", Optional.of("s.c"), Duration.ofSeconds(30), policy, policy))));
  }

  @Test
  void reachingAReceiveStepWaitsAndAsksForABufferedMessage() {
    // given
    SagaRun run = run(ReceiveTimeoutAction.COMPENSATE);
    run.start();

    // when the step before it succeeds
    Decision decision = run.reply(SUCCESS);

    // then the saga waits, with a timeout, and asks the inbox for the message
    assertThat(run.instance().status()).isEqualTo(SagaStatus.WAITING);
    assertThat(decision.effects(AwaitMessage.class))
        .containsExactly(new AwaitMessage("await-payment", "PaymentConfirmed"));
    assertThat(run.instance().timers())
        .extracting(Timer::kind)
        .containsExactly(TimerKind.RECEIVE_TIMEOUT);
  }

  @Test
  void aRedriveSetsAWaitingSagasOverdueTimerAgainDueNowAndLeavesOneStillToCome() {
    // given a saga waiting for its message, and a redrive before its timeout is due
    SagaRun run = run(ReceiveTimeoutAction.COMPENSATE);
    run.start();
    run.reply(SUCCESS);
    Timer timeout = run.instance().timers().get(0);
    assertThat(run.redrive().effects()).isEmpty();

    // when the timeout is long overdue (its timer was lost) and the recovery scan redrives it
    run.advance(Duration.ofHours(2));
    run.redrive();

    // then the same timer is due now, and firing it times the step out as it should have
    assertThat(run.instance().timers())
        .containsExactly(new Timer(TimerKind.RECEIVE_TIMEOUT, run.now(), timeout.reference()));
    run.fire(TimerKind.RECEIVE_TIMEOUT);
    assertThat(run.events()).contains("ReceiveTimedOut", "CompensationStarted");
  }

  @Test
  void theAwaitedMessageMergesItsDataAndTheNextStepRuns() {
    SagaRun run = run(ReceiveTimeoutAction.COMPENSATE);
    run.start();
    run.reply(SUCCESS);
    SagaData merged = SagaData.of(new byte[] {42});

    run.decide(new DeliverMessage("PaymentConfirmed", "m-1", merged));

    assertThat(run.instance().status()).isEqualTo(SagaStatus.RUNNING);
    assertThat(run.instance().data()).isEqualTo(merged);
    assertThat(run.instance().timers())
        .extracting(Timer::kind)
        .containsExactly(TimerKind.STEP_TIMEOUT);
    assertThat(run.sent()).containsExactly("reserve action 1", "ship action 1");
    assertThat(run.events()).contains("MessageAwaited", "MessageCorrelated");
  }

  @Test
  void anotherMessageNameLeavesTheSagaWaiting() {
    SagaRun run = run(ReceiveTimeoutAction.COMPENSATE);
    run.start();
    run.reply(SUCCESS);

    Decision decision = run.decide(new DeliverMessage("SomethingElse", "m-2", null));

    assertThat(decision.effects()).isEmpty();
    assertThat(run.instance().status()).isEqualTo(SagaStatus.WAITING);
  }

  @Test
  void onTimeoutCompensateUndoesTheStepsBefore() {
    SagaRun run = run(ReceiveTimeoutAction.COMPENSATE);
    run.start();
    run.reply(SUCCESS);

    run.fire(TimerKind.RECEIVE_TIMEOUT);
    run.reply(SUCCESS);

    assertThat(run.sent()).containsExactly("reserve action 1", "reserve compensation 1");
    assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATED);
  }

  @Test
  void onTimeoutContinueGoesOnWithoutTheMessage() {
    SagaRun run = run(ReceiveTimeoutAction.CONTINUE);
    run.start();
    run.reply(SUCCESS);

    run.fire(TimerKind.RECEIVE_TIMEOUT);

    assertThat(run.sent()).containsExactly("reserve action 1", "ship action 1");
    assertThat(run.events()).contains("ReceiveTimedOut");
  }

  @Test
  void onTimeoutFailRaisesAnIncidentThatRetryWaitsAgainAndSkipGoesOn() {
    SagaRun run = run(ReceiveTimeoutAction.FAIL);
    run.start();
    run.reply(SUCCESS);

    run.fire(TimerKind.RECEIVE_TIMEOUT);
    assertThat(run.instance().status()).isEqualTo(SagaStatus.FAILED);
    assertThat(run.instance().incident().step()).isEqualTo("await-payment");

    run.resolve(IncidentResolution.RETRY);
    assertThat(run.instance().status()).isEqualTo(SagaStatus.WAITING);
    run.fire(TimerKind.RECEIVE_TIMEOUT);
    run.resolve(IncidentResolution.SKIP);
    assertThat(run.sent()).containsExactly("reserve action 1", "ship action 1");
  }

  /** Reserve done, then the receive step's timeout with onTimeout FAIL: an incident. */
  private static SagaRun atReceiveIncident(SagaRun run) {
    run.start();
    run.reply(SUCCESS);
    run.fire(TimerKind.RECEIVE_TIMEOUT);
    return run;
  }

  @Test
  void aCancelAtTheIncidentOfAReceiveStepClosesItAndUndoesTheStepsBefore() {
    // given a saga stopped at its receive step's incident, with reserve done
    SagaRun run = atReceiveIncident(run(ReceiveTimeoutAction.FAIL));

    // when it is cancelled
    run.cancel();

    // then the incident is closed, in the journal too, and reserve undone
    assertThat(run.instance().incident()).isNull();
    assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATING);
    assertThat(run.events())
        .containsSubsequence(
            "IncidentRaised", "SagaCancellationRequested", "IncidentClosed", "CompensationStarted");
    assertThat(run.sent()).containsExactly("reserve action 1", "reserve compensation 1");
  }

  @Test
  void theDeadlinePassingAtTheIncidentOfAReceiveStepUndoesTheStepsBefore() {
    // given a saga with a deadline, stopped at its receive step's incident before the deadline
    SagaRun run =
        atReceiveIncident(run(ReceiveTimeoutAction.FAIL, Optional.of(Duration.ofHours(2))));

    // when the deadline passes
    run.fire(TimerKind.SAGA_DEADLINE);

    // then the incident is closed and reserve undone
    assertThat(run.instance().incident()).isNull();
    assertThat(run.events())
        .containsSubsequence("SagaDeadlineExpired", "IncidentClosed", "CompensationStarted");
    assertThat(run.sent()).containsExactly("reserve action 1", "reserve compensation 1");
  }

  @Test
  void cancelWhileWaitingUndoesTheStepsBeforeAndALateMessageChangesNothing() {
    SagaRun run = run(ReceiveTimeoutAction.COMPENSATE);
    run.start();
    run.reply(SUCCESS);

    run.cancel();
    Decision late = run.decide(new DeliverMessage("PaymentConfirmed", "m-3", null));

    assertThat(late.effects()).isEmpty();
    assertThat(run.sent()).containsExactly("reserve action 1", "reserve compensation 1");
    assertThat(run.instance().timers())
        .extracting(Timer::kind)
        .containsOnly(TimerKind.STEP_TIMEOUT);
  }
}
