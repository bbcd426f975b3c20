package io.sagastream.engine;

import static io.sagastream.engine.SagaStatus.COMPENSATED;
import static io.sagastream.engine.SagaStatus.COMPENSATING;
import static io.sagastream.engine.SagaStatus.COMPLETED;
import static io.sagastream.engine.SagaStatus.FAILED;
import static io.sagastream.engine.SagaStatus.RUNNING;
import static io.sagastream.engine.SagaStatus.WAITING;

import io.sagastream.engine.EngineCommand.CancelSaga;
import io.sagastream.engine.EngineCommand.DeliverMessage;
import io.sagastream.engine.EngineCommand.FireTimer;
import io.sagastream.engine.EngineCommand.HandleReply;
import io.sagastream.engine.EngineCommand.Redrive;
import io.sagastream.engine.EngineCommand.ResolveIncident;
import io.sagastream.engine.EngineCommand.StartSaga;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * Every transition of a saga instance, as an ordered table: the first rule whose state, command
 * type and guard match decides. {@code TransitionTableDiagramTest} renders it into docs/, so the
 * picture cannot drift from the code.
 */
public final class TransitionTable {

  private static final Set<SagaStatus> NO_INSTANCE = Set.of();
  private static final Set<SagaStatus> ENDED = EnumSet.of(COMPLETED, COMPENSATED);
  private static final Set<SagaStatus> MOVING = EnumSet.of(RUNNING, COMPENSATING);
  private static final Set<SagaStatus> OPEN = EnumSet.of(RUNNING, WAITING, COMPENSATING, FAILED);

  /** Where a step may stand after the previous one ended: the next one, or the end. */
  private static final Set<SagaStatus> NEXT_STEP = EnumSet.of(RUNNING, WAITING, COMPLETED);

  private static final List<TransitionRule> RULES = rules();

  private TransitionTable() {}

  /**
   * One row as people read it. An empty {@code from} means: no instance on the key yet; {@code
   * stays}: the instance keeps its status.
   */
  public record Row(
      Set<SagaStatus> from,
      String command,
      String guard,
      Set<SagaStatus> to,
      boolean stays,
      String effects) {}

  public static List<Row> rows() {
    return RULES.stream()
        .map(
            r ->
                new Row(
                    r.from(),
                    r.on().getSimpleName(),
                    r.guardText(),
                    r.to(),
                    r.stays(),
                    r.effectsText()))
        .toList();
  }

  static TransitionRule ruleFor(SagaInstance current, EngineCommand command) {
    for (TransitionRule rule : RULES) {
      if (rule.matches(current, command)) {
        return rule;
      }
    }
    throw new IllegalStateException(
        "No transition for "
            + command.type()
            + " in "
            + (current == null ? "no instance" : current.status()));
  }

  private static List<TransitionRule> rules() {
    List<TransitionRule> rules = new ArrayList<>();
    // Starting
    rules.add(
        rule(
            NO_INSTANCE,
            StartSaga.class,
            "always",
            always(),
            NEXT_STEP,
            "SagaStarted, deadline timer, first action (SagaCompleted if there are no steps)",
            Moves::start));
    rules.add(
        stay(
            ENDED,
            StartSaga.class,
            "the request that started this instance, again",
            (instance, command) -> ((StartSaga) command).sagaId().equals(instance.sagaId()),
            "nothing: that request was carried out",
            Moves::nothing));
    rules.add(
        rule(
            ENDED,
            StartSaga.class,
            "always",
            always(),
            NEXT_STEP,
            "a new instance, as when there was none",
            Moves::start));
    rules.add(
        stay(
            OPEN,
            StartSaga.class,
            "always",
            always(),
            "nothing: the open instance stands (idempotent start)",
            Moves::nothing));

    // Replies
    rules.add(
        rule(
            EnumSet.of(RUNNING),
            HandleReply.class,
            "awaited, success",
            awaitedReply(CommandKind.ACTION, ReplyOutcome.SUCCESS),
            NEXT_STEP,
            "data merged, StepCompleted, next step (SagaCompleted after the last)",
            Moves::actionSucceeded));
    rules.add(
        rule(
            EnumSet.of(RUNNING),
            HandleReply.class,
            "awaited, retryable failure",
            awaitedReply(CommandKind.ACTION, ReplyOutcome.RETRYABLE_FAILURE),
            EnumSet.of(RUNNING, COMPENSATING, COMPENSATED),
            "StepRetryScheduled after backoff; when tries are used up StepFailed and compensation",
            Moves::replyFailedForNow));
    rules.add(
        rule(
            EnumSet.of(RUNNING),
            HandleReply.class,
            "awaited, failure",
            awaitedReply(CommandKind.ACTION, ReplyOutcome.FAILURE),
            EnumSet.of(COMPENSATING, COMPENSATED),
            "StepFailed, CompensationStarted, completed steps undone in reverse order",
            Moves::actionFailed));
    rules.add(
        rule(
            EnumSet.of(COMPENSATING),
            HandleReply.class,
            "awaited, success",
            awaitedReply(CommandKind.COMPENSATION, ReplyOutcome.SUCCESS),
            EnumSet.of(COMPENSATING, COMPENSATED),
            "StepCompensated, next compensation (SagaCompensated after the last)",
            Moves::compensationSucceeded));
    rules.add(
        rule(
            EnumSet.of(COMPENSATING),
            HandleReply.class,
            "awaited, retryable failure",
            awaitedReply(CommandKind.COMPENSATION, ReplyOutcome.RETRYABLE_FAILURE),
            EnumSet.of(COMPENSATING, FAILED),
            "StepRetryScheduled after backoff; when tries are used up IncidentRaised",
            Moves::replyFailedForNow));
    rules.add(
        rule(
            EnumSet.of(COMPENSATING),
            HandleReply.class,
            "awaited, failure",
            awaitedReply(CommandKind.COMPENSATION, ReplyOutcome.FAILURE),
            EnumSet.of(FAILED),
            "IncidentRaised, SagaFailed: an operator retries or skips",
            Moves::compensationFailed));
    rules.add(
        rule(
            EnumSet.of(COMPENSATING),
            HandleReply.class,
            "a branch that was in flight when its parallel step failed",
            lateBranchReply(),
            EnumSet.of(COMPENSATING, COMPENSATED),
            "a success is undone first, as the latest completion; a failure has nothing to undo",
            Moves::lateBranchAnswered));
    rules.add(
        stay(
            OPEN,
            HandleReply.class,
            "not awaited",
            always(),
            "ReplyIgnored (duplicate, stale attempt or not awaited)",
            Moves::ignoreReply));
    rules.add(
        stay(
            ENDED,
            HandleReply.class,
            "always",
            always(),
            "ReplyIgnored (saga ended)",
            Moves::ignoreReply));

    // Messages
    rules.add(
        rule(
            EnumSet.of(WAITING),
            DeliverMessage.class,
            "the awaited message",
            awaitedMessage(),
            NEXT_STEP,
            "MessageCorrelated, data merged, next step (SagaCompleted after the last)",
            Moves::deliverMessage));
    rules.add(
        stay(
            OPEN,
            DeliverMessage.class,
            "not awaited",
            always(),
            "nothing: the message stays in the inbox",
            Moves::nothing));

    // Timers
    rules.add(
        rule(
            EnumSet.of(RUNNING),
            FireTimer.class,
            "timeout of the awaited action",
            awaitedTimeout(CommandKind.ACTION),
            EnumSet.of(RUNNING, COMPENSATING, COMPENSATED),
            "StepTimedOut, then as a retryable failure",
            Moves::timedOut));
    rules.add(
        rule(
            EnumSet.of(COMPENSATING),
            FireTimer.class,
            "timeout of the awaited compensation",
            awaitedTimeout(CommandKind.COMPENSATION),
            EnumSet.of(COMPENSATING, FAILED),
            "StepTimedOut, then as a retryable failure",
            Moves::timedOut));
    rules.add(
        rule(
            EnumSet.of(COMPENSATING),
            FireTimer.class,
            "timeout of a branch in flight when its parallel step failed",
            awaitedTimeout(CommandKind.ACTION),
            EnumSet.of(COMPENSATING, COMPENSATED),
            "StepTimedOut; its outcome is unknown, so it is undone first",
            Moves::lateBranchAnswered));
    rules.add(
        stay(
            MOVING,
            FireTimer.class,
            "backoff of the pending retry over",
            retryDue(),
            "the next attempt's command",
            Moves::sendPendingRetry));
    rules.add(
        rule(
            EnumSet.of(WAITING),
            FireTimer.class,
            "the receive step's timeout",
            receiveTimeoutDue(),
            EnumSet.of(RUNNING, WAITING, COMPLETED, COMPENSATING, COMPENSATED, FAILED),
            "ReceiveTimedOut, then as the step says: compensate, continue, or fail (an incident)",
            Moves::receiveTimedOut));
    rules.add(
        rule(
            EnumSet.of(RUNNING, WAITING),
            FireTimer.class,
            "saga deadline",
            deadlineDue(),
            EnumSet.of(COMPENSATING, COMPENSATED),
            "SagaDeadlineExpired, compensation (the step in flight first)",
            Moves::deadlineExpired));
    rules.add(
        rule(
            EnumSet.of(FAILED),
            FireTimer.class,
            "saga deadline, at a receive step's incident",
            deadlineDue().and(atReceiveIncident()),
            EnumSet.of(COMPENSATING, COMPENSATED),
            "SagaDeadlineExpired, IncidentClosed, compensation",
            Moves::deadlineAtReceiveIncident));
    rules.add(
        stay(
            EnumSet.allOf(SagaStatus.class),
            FireTimer.class,
            "any other timer",
            always(),
            "nothing: the timer no longer matters",
            Moves::nothing));

    // Operators
    rules.add(
        rule(
            EnumSet.of(RUNNING, WAITING),
            CancelSaga.class,
            "always",
            always(),
            EnumSet.of(COMPENSATING, COMPENSATED),
            "SagaCancellationRequested, compensation (the step in flight first)",
            Moves::cancel));
    rules.add(
        rule(
            EnumSet.of(FAILED),
            CancelSaga.class,
            "at a receive step's incident",
            atReceiveIncident(),
            EnumSet.of(COMPENSATING, COMPENSATED),
            "SagaCancellationRequested, IncidentClosed, compensation",
            Moves::cancelAtReceiveIncident));
    rules.add(
        stay(
            EnumSet.of(COMPENSATING, FAILED),
            CancelSaga.class,
            "always",
            always(),
            "nothing: already undoing",
            Moves::nothing));
    rules.add(
        stay(
            EnumSet.of(FAILED),
            ResolveIncident.class,
            "meant for an earlier incident",
            anotherIncident(),
            "IncidentResolutionIgnored: the incident it was meant for is no longer the saga's",
            Moves::ignoreResolution));
    rules.add(
        rule(
            EnumSet.of(FAILED),
            ResolveIncident.class,
            "retry, on a receive step",
            receiveIncident(IncidentResolution.RETRY),
            EnumSet.of(WAITING),
            "IncidentResolved, wait for the message again with a fresh timeout",
            Moves::waitAgain));
    rules.add(
        rule(
            EnumSet.of(FAILED),
            ResolveIncident.class,
            "skip, on a receive step",
            receiveIncident(IncidentResolution.SKIP),
            NEXT_STEP,
            "IncidentResolved, the next step without the message",
            Moves::skipReceive));
    rules.add(
        rule(
            EnumSet.of(FAILED),
            ResolveIncident.class,
            "retry",
            resolution(IncidentResolution.RETRY),
            EnumSet.of(COMPENSATING),
            "IncidentResolved, the failed compensation again with fresh tries",
            Moves::retryIncident));
    rules.add(
        rule(
            EnumSet.of(FAILED),
            ResolveIncident.class,
            "skip",
            resolution(IncidentResolution.SKIP),
            EnumSet.of(COMPENSATING, COMPENSATED),
            "IncidentResolved, next compensation (SagaCompensated after the last)",
            Moves::skipIncident));
    rules.add(
        stay(
            EnumSet.of(RUNNING, WAITING, COMPENSATING),
            ResolveIncident.class,
            "always",
            always(),
            "IncidentResolutionIgnored: there is no incident",
            Moves::ignoreResolution));

    // Recovery
    rules.add(
        stay(
            MOVING,
            Redrive.class,
            "a command is awaited",
            (i, c) -> !i.inFlight().isEmpty(),
            "SagaRedriven: the awaited command again, same id",
            Moves::redeliver));
    rules.add(
        stay(
            MOVING,
            Redrive.class,
            "a retry is pending",
            (i, c) -> !i.retries().isEmpty(),
            "the pending retry's command now",
            Moves::sendPendingRetry));
    // The recovery scan re-drives a waiting saga only when its earliest timer is long overdue:
    // lost.
    rules.add(
        stay(
            EnumSet.of(WAITING),
            Redrive.class,
            "its timers are lost",
            (i, c) -> !i.timers().isEmpty(),
            "each overdue timer again, due now (the receive step times out as it should have)",
            Moves::rearmOverdueTimers));
    rules.add(stay(OPEN, Redrive.class, "otherwise", always(), "nothing", Moves::nothing));

    // Everything else: ended sagas absorb commands; without an instance there is nothing to act on.
    rules.add(
        stay(
            ENDED,
            EngineCommand.class,
            "always",
            always(),
            "nothing: an ended saga absorbs every command",
            Moves::nothing));
    rules.add(
        stay(
            NO_INSTANCE,
            EngineCommand.class,
            "always",
            always(),
            "nothing: no instance to act on",
            Moves::nothing));
    return List.copyOf(rules);
  }

  /** A rule after which the instance is in the status it was in. */
  private static TransitionRule stay(
      Set<SagaStatus> from,
      Class<? extends EngineCommand> on,
      String guardText,
      BiPredicate<SagaInstance, EngineCommand> guard,
      String effectsText,
      BiConsumer<DecisionContext, EngineCommand> action) {
    return new TransitionRule(
        Set.copyOf(from), on, guardText, guard, Set.copyOf(from), true, effectsText, action);
  }

  private static TransitionRule rule(
      Set<SagaStatus> from,
      Class<? extends EngineCommand> on,
      String guardText,
      BiPredicate<SagaInstance, EngineCommand> guard,
      Set<SagaStatus> to,
      String effectsText,
      BiConsumer<DecisionContext, EngineCommand> action) {
    return new TransitionRule(
        Set.copyOf(from), on, guardText, guard, Set.copyOf(to), false, effectsText, action);
  }

  private static BiPredicate<SagaInstance, EngineCommand> always() {
    return (instance, command) -> true;
  }

  private static BiPredicate<SagaInstance, EngineCommand> awaitedReply(
      CommandKind kind, ReplyOutcome outcome) {
    return (instance, command) ->
        command instanceof HandleReply reply
            && reply.outcome() == outcome
            && instance.inFlight(reply.commandId()).filter(c -> c.kind() == kind).isPresent();
  }

  /** A reply from a branch still in flight after its parallel step failed, while compensating. */
  private static BiPredicate<SagaInstance, EngineCommand> lateBranchReply() {
    return (instance, command) ->
        command instanceof HandleReply reply
            && instance
                .inFlight(reply.commandId())
                .filter(c -> c.kind() == CommandKind.ACTION)
                .isPresent();
  }

  private static BiPredicate<SagaInstance, EngineCommand> awaitedTimeout(CommandKind kind) {
    return (instance, command) ->
        command instanceof FireTimer fire
            && fire.timer().kind() == TimerKind.STEP_TIMEOUT
            && instance.timers().contains(fire.timer())
            && instance
                .inFlight(fire.timer().reference())
                .filter(c -> c.kind() == kind)
                .isPresent();
  }

  private static BiPredicate<SagaInstance, EngineCommand> retryDue() {
    return (instance, command) ->
        command instanceof FireTimer fire
            && fire.timer().kind() == TimerKind.RETRY_BACKOFF
            && instance.timers().contains(fire.timer())
            && instance.retry(fire.timer().reference()).isPresent();
  }

  private static BiPredicate<SagaInstance, EngineCommand> deadlineDue() {
    return (instance, command) ->
        command instanceof FireTimer fire
            && fire.timer().kind() == TimerKind.SAGA_DEADLINE
            && instance.timers().contains(fire.timer());
  }

  private static BiPredicate<SagaInstance, EngineCommand> awaitedMessage() {
    return (instance, command) ->
        command instanceof DeliverMessage message
            && instance.waitingFor() != null
            && instance.waitingFor().messageName().equals(message.messageName());
  }

  private static BiPredicate<SagaInstance, EngineCommand> receiveTimeoutDue() {
    return (instance, command) ->
        command instanceof FireTimer fire
            && fire.timer().kind() == TimerKind.RECEIVE_TIMEOUT
            && instance.timers().contains(fire.timer())
            && instance.waitingFor() != null;
  }

  /**
   * The saga stopped at a receive step that timed out, before undoing anything: unlike an incident
   * of a compensation, a cancel or the deadline can still undo what was done.
   */
  private static BiPredicate<SagaInstance, EngineCommand> atReceiveIncident() {
    return (instance, command) -> instance.incident() != null && instance.incident().kind() == null;
  }

  /** An incident of a receive step (no command failed: its kind is null), resolved this way. */
  private static BiPredicate<SagaInstance, EngineCommand> receiveIncident(
      IncidentResolution wanted) {
    return (instance, command) ->
        command instanceof ResolveIncident resolve
            && resolve.resolution() == wanted
            && instance.incident() != null
            && instance.incident().kind() == null;
  }

  /** A resolution naming an incident raised at another time than the saga's. */
  private static BiPredicate<SagaInstance, EngineCommand> anotherIncident() {
    return (instance, command) ->
        command instanceof ResolveIncident resolve
            && resolve.incidentRaisedAt() != null
            && instance.incident() != null
            && !resolve.incidentRaisedAt().equals(instance.incident().raisedAt());
  }

  private static BiPredicate<SagaInstance, EngineCommand> resolution(IncidentResolution wanted) {
    return (instance, command) ->
        command instanceof ResolveIncident resolve && resolve.resolution() == wanted;
  }
}
