package io.sagastream.engine;

import static io.sagastream.engine.ReplyOutcome.FAILURE;
import static io.sagastream.engine.ReplyOutcome.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParallelStepTest {

  /** reserve, then charge and print-label at once (the parallel step "prepare"), then ship. */
  private static SagaRun run() {
    return new SagaRun(
        new SagaDefinition(
            "order",
            1,
            Optional.empty(),
            List.of(
                step("reserve"),
                step("charge").inParallel("prepare"),
                step("print-label").inParallel("prepare"),
                step("ship"))));
  }

  @Test
  void everyBranchIsSentAtOnceAndTheNextStepWaitsForAllOfThem() {
    SagaRun run = run();
    run.start();
    run.reply(SUCCESS);
    assertThat(run.sent())
        .containsExactly("reserve action 1", "charge action 1", "print-label action 1");

    run.reply("print-label", SUCCESS);
    assertThat(run.instance().inFlight()).hasSize(1);
    run.reply("charge", SUCCESS);

    assertThat(run.sent()).endsWith("ship action 1");
  }

  @Test
  void aFailedBranchUndoesTheCompletedBranchThenTheStepsBefore() {
    SagaRun run = run();
    run.start();
    run.reply(SUCCESS);
    run.reply("charge", SUCCESS);

    run.reply("print-label", FAILURE);
    run.reply(SUCCESS);
    run.reply(SUCCESS);

    assertThat(run.sent()).endsWith("charge compensation 1", "reserve compensation 1");
    assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATED);
  }

  @Test
  void aBranchThatSucceedsAfterItsSiblingFailedIsUndoneFirst() {
    // given both branches in flight, and one fails
    SagaRun run = run();
    run.start();
    run.reply(SUCCESS);
    run.reply("print-label", FAILURE);

    // then nothing is undone while charge may still be working
    assertThat(run.sent()).doesNotContain("reserve compensation 1");

    // when charge succeeds late
    run.reply("charge", SUCCESS);
    run.reply(SUCCESS);
    run.reply(SUCCESS);

    // then charge is undone, then reserve
    assertThat(run.sent()).endsWith("charge compensation 1", "reserve compensation 1");
    assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATED);
  }

  @Test
  void aBranchThatSucceedsAfterItsSiblingFailedKeepsWhatItAnsweredForItsCompensation() {
    // given both branches in flight, and one fails
    SagaRun run = run();
    run.start();
    run.reply(SUCCESS);
    run.reply("print-label", FAILURE);
    String charge =
        run.instance().inFlight().stream()
            .filter(c -> c.stepIndex() == 1)
            .findFirst()
            .orElseThrow()
            .commandId();

    // when charge succeeds late, answering data of its own (a charge id)
    SagaData answered = SagaData.of(new byte[] {9, 9});
    run.replyTo(charge, SUCCESS, answered);

    // then the data its compensation is built from holds that answer
    assertThat(run.sent()).endsWith("charge compensation 1");
    assertThat(run.instance().data()).isEqualTo(answered);
  }

  @Test
  void aBranchThatFailsAfterItsSiblingFailedHasNothingToUndo() {
    SagaRun run = run();
    run.start();
    run.reply(SUCCESS);
    run.reply("print-label", FAILURE);

    run.reply("charge", FAILURE);
    run.reply(SUCCESS);

    assertThat(run.sent()).endsWith("print-label action 1", "reserve compensation 1");
    assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATED);
  }

  @Test
  void aBranchWhoseEarlierTryTimedOutIsUndoneThoughItsLateTryFailed() {
    // given charge's first try timed out, and its second is in flight beside print-label
    SagaRun run = run();
    run.start();
    run.reply(SUCCESS);
    String firstCharge = run.instance().inFlight().get(0).commandId();
    run.fire(
        run.instance().timers().stream()
            .filter(t -> t.reference().equals(firstCharge))
            .findFirst()
            .orElseThrow());
    run.fire(TimerKind.RETRY_BACKOFF);

    // when print-label fails, then charge's second try fails too
    run.reply("print-label", FAILURE);
    run.reply("charge", FAILURE);

    // then charge, whose first try may have charged, is undone before reserve
    assertThat(run.sent()).endsWith("charge action 2", "charge compensation 1");
    run.reply(SUCCESS);
    assertThat(run.sent()).endsWith("charge compensation 1", "reserve compensation 1");
  }

  @Test
  void cancelWhileBranchesAreInFlightUndoesThemAll() {
    SagaRun run = run();
    run.start();
    run.reply(SUCCESS);

    run.cancel();
    run.reply(SUCCESS);
    run.reply(SUCCESS);
    run.reply(SUCCESS);

    assertThat(run.sent())
        .containsExactlyInAnyOrder(
            "reserve action 1",
            "charge action 1",
            "print-label action 1",
            "print-label compensation 1",
            "charge compensation 1",
            "reserve compensation 1");
    assertThat(run.sent()).endsWith("reserve compensation 1");
    assertThat(run.instance().status()).isEqualTo(SagaStatus.COMPENSATED);
  }

  private static StepDefinition step(String name) {
    return new StepDefinition(
        name,
        name + ".c",
        Optional.of(name + ".c"),
        Duration.ofSeconds(30),
        RetryPolicy.DEFAULT,
        RetryPolicy.DEFAULT);
  }
}
