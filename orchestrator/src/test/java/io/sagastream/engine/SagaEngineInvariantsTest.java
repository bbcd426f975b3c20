package io.sagastream.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.engine.Effect.ScheduleTimer;
import io.sagastream.engine.Effect.SendCommand;
import io.sagastream.engine.JournalEvent.IncidentResolved;
import io.sagastream.engine.JournalEvent.StepCompensated;
import io.sagastream.engine.JournalEvent.StepCompleted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The engine's invariants over random definitions and random sequences of replies, timers, cancels,
 * incident resolutions and redrives.
 */
class SagaEngineInvariantsTest {

  /** What the story does next. */
  enum Move {
    SUCCEED,
    FAIL,
    FAIL_FOR_NOW,
    STALE_REPLY,
    FIRE_NEXT_TIMER,
    CANCEL,
    RETRY_INCIDENT,
    SKIP_INCIDENT,
    REDRIVE,
    DELIVER_MESSAGE,
    SUCCEED_LAST,
    FAIL_LAST
  }

  @Property(tries = 400)
  void compensationUndoesCompletedStepsInReverseCompletionOrder(
      @ForAll("definitions") SagaDefinition definition, @ForAll("stories") List<Move> story) {
    SagaRun run = play(definition, story);

    List<String> completed = new ArrayList<>();
    List<String> undone = new ArrayList<>();
    for (Decision decision : run.decisions()) {
      for (JournalEvent event : decision.events()) {
        if (event instanceof StepCompleted done) {
          completed.add(done.step());
        } else if (event instanceof StepCompensated compensated) {
          undone.add(compensated.step());
        } else if (event instanceof IncidentResolved resolved
            && resolved.resolution() == IncidentResolution.SKIP) {
          undone.add(incidentStepBefore(run, decision));
        }
      }
    }
    List<String> undoneOfCompleted = undone.stream().filter(completed::contains).toList();
    List<String> reversed = new ArrayList<>(completed);
    Collections.reverse(reversed);
    assertThat(undoneOfCompleted).hasSizeLessThanOrEqualTo(reversed.size());
    assertThat(undoneOfCompleted).isEqualTo(reversed.subList(0, undoneOfCompleted.size()));
    if (run.instance().status() == SagaStatus.COMPENSATED) {
      assertThat(undoneOfCompleted).isEqualTo(reversed);
    }
  }

  @Property(tries = 400)
  void anEndedSagaStaysEndedAndSendsNothingMore(
      @ForAll("definitions") SagaDefinition definition, @ForAll("stories") List<Move> story) {
    SagaRun run = play(definition, story);

    SagaStatus endedAs = null;
    for (Decision decision : run.decisions()) {
      if (endedAs != null) {
        assertThat(decision.instance().status()).isEqualTo(endedAs);
        assertThat(decision.effects(SendCommand.class)).isEmpty();
        assertThat(decision.effects(ScheduleTimer.class)).isEmpty();
      } else if (decision.instance().status().isTerminal()) {
        endedAs = decision.instance().status();
        assertThat(decision.instance().timers()).isEmpty();
      }
    }
  }

  @Property(tries = 400)
  void attemptsNeverExceedThePolicyAndNoCommandIdIsSentTwice(
      @ForAll("definitions") SagaDefinition definition, @ForAll("stories") List<Move> story) {
    SagaRun run = play(definition, story);

    Set<String> ids = new HashSet<>();
    Map<String, Integer> sends = new HashMap<>();
    Map<String, Integer> incidentRetries = new HashMap<>();
    for (Decision decision : run.decisions()) {
      for (Effect effect : decision.effects()) {
        if (effect instanceof SendCommand send && !send.redelivery()) {
          assertThat(ids.add(send.commandId())).as("first send of %s", send.commandId()).isTrue();
          sends.merge(send.step() + "/" + send.kind(), 1, Integer::sum);
        }
      }
      for (JournalEvent event : decision.events()) {
        if (event instanceof IncidentResolved resolved
            && resolved.resolution() == IncidentResolution.RETRY) {
          incidentRetries.merge(incidentStepBefore(run, decision), 1, Integer::sum);
        }
      }
    }
    for (StepDefinition step : definition.steps()) {
      assertThat(sends.getOrDefault(step.name() + "/ACTION", 0))
          .isLessThanOrEqualTo(step.retry().maxAttempts());
      int rounds = 1 + incidentRetries.getOrDefault(step.name(), 0);
      assertThat(sends.getOrDefault(step.name() + "/COMPENSATION", 0))
          .isLessThanOrEqualTo(step.compensationRetry().maxAttempts() * rounds);
    }
  }

  @Provide
  Arbitrary<SagaDefinition> definitions() {
    Arbitrary<RetryPolicy> policies =
        Combinators.combine(
                Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(0, 5_000),
                Arbitraries.doubles().between(1.0, 3.0),
                Arbitraries.doubles().between(0.0, 1.0))
            .as(
                (tries, initial, multiplier, jitter) ->
                    new RetryPolicy(
                        tries,
                        Duration.ofMillis(initial),
                        multiplier,
                        Duration.ofMillis(initial).plusSeconds(60),
                        jitter));
    Arbitrary<StepDefinition> steps =
        Combinators.combine(
                Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 120),
                policies,
                policies)
            .as(
                (compensable, timeout, retry, compensationRetry) ->
                    new StepDefinition(
                        "step",
                        "t.commands",
                        compensable ? Optional.of("t.commands") : Optional.empty(),
                        Duration.ofSeconds(timeout),
                        retry,
                        compensationRetry));
    Arbitrary<Optional<Duration>> deadlines =
        Arbitraries.integers()
            .between(0, 600)
            .map(s -> s == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s)));
    return Combinators.combine(steps.list().ofMinSize(0).ofMaxSize(5), deadlines)
        .as(
            (list, deadline) -> {
              List<StepDefinition> named = new ArrayList<>();
              for (int i = 0; i < list.size(); i++) {
                StepDefinition s = list.get(i);
                if (s.timeout().getSeconds() % 4 == 0) {
                  // Every fourth or so step waits for a message instead, with each timeout action.
                  ReceiveSpec.ReceiveTimeoutAction action =
                      ReceiveSpec.ReceiveTimeoutAction.values()[
                          (int) (s.timeout().getSeconds() % 3)];
                  named.add(
                      StepDefinition.receiving(
                          "step-" + i,
                          new ReceiveSpec(
                              "Msg",
                              s.timeout().getSeconds() % 8 == 0
                                  ? Optional.empty()
                                  : Optional.of(s.timeout()),
                              action)));
                  continue;
                }
                StepDefinition action =
                    new StepDefinition(
                        "step-" + i,
                        s.actionTopic(),
                        s.compensationTopic(),
                        s.timeout(),
                        s.retry(),
                        s.compensationRetry());
                // Runs of steps whose timeouts share a parity become branches of one parallel step.
                named.add(
                    s.timeout().getSeconds() % 2 == 1
                        ? action.inParallel("group-" + (i / 2))
                        : action);
              }
              return new SagaDefinition("random", 1, deadline, named);
            });
  }

  @Provide
  Arbitrary<List<Move>> stories() {
    return Arbitraries.of(Move.class).list().ofMaxSize(60);
  }

  private static SagaRun play(SagaDefinition definition, List<Move> story) {
    SagaRun run = new SagaRun(definition);
    run.start();
    for (Move move : story) {
      SagaInstance instance = run.instance();
      switch (move) {
        case SUCCEED, FAIL, FAIL_FOR_NOW -> {
          if (!instance.inFlight().isEmpty()) {
            run.reply(
                move == Move.SUCCEED
                    ? ReplyOutcome.SUCCESS
                    : move == Move.FAIL ? ReplyOutcome.FAILURE : ReplyOutcome.RETRYABLE_FAILURE);
          }
        }
        case STALE_REPLY -> run.replyTo("s-1/step-0/action/1", ReplyOutcome.SUCCESS, null);
        case FIRE_NEXT_TIMER -> {
          if (!instance.timers().isEmpty()) {
            run.fireNextTimer();
          }
        }
        case CANCEL -> run.cancel();
        case RETRY_INCIDENT -> run.resolve(IncidentResolution.RETRY);
        case SKIP_INCIDENT -> run.resolve(IncidentResolution.SKIP);
        case REDRIVE -> run.redrive();
        case SUCCEED_LAST, FAIL_LAST -> {
          if (!instance.inFlight().isEmpty()) {
            run.replyTo(
                instance.inFlight().get(instance.inFlight().size() - 1).commandId(),
                move == Move.SUCCEED_LAST ? ReplyOutcome.SUCCESS : ReplyOutcome.FAILURE,
                null);
          }
        }
        case DELIVER_MESSAGE ->
            run.decide(new EngineCommand.DeliverMessage("Msg", "m", SagaData.of(new byte[] {7})));
      }
    }
    return run;
  }

  /** The step of the incident that {@code decision} resolved, read from the instance before it. */
  private static String incidentStepBefore(SagaRun run, Decision decision) {
    int index = run.decisions().indexOf(decision);
    return run.decisions().get(index - 1).instance().incident().step();
  }
}
