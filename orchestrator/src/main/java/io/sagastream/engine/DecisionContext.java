package io.sagastream.engine;

import io.sagastream.engine.Effect.AwaitMessage;
import io.sagastream.engine.Effect.CancelTimer;
import io.sagastream.engine.Effect.PublishEvent;
import io.sagastream.engine.Effect.RaiseIncident;
import io.sagastream.engine.Effect.ScheduleTimer;
import io.sagastream.engine.Effect.SendCommand;
import io.sagastream.engine.JournalEvent.CompensationReason;
import io.sagastream.engine.JournalEvent.CompensationStarted;
import io.sagastream.engine.JournalEvent.IncidentRaised;
import io.sagastream.engine.JournalEvent.MessageAwaited;
import io.sagastream.engine.JournalEvent.SagaCompensated;
import io.sagastream.engine.JournalEvent.SagaCompleted;
import io.sagastream.engine.JournalEvent.SagaFailed;
import io.sagastream.engine.JournalEvent.StepCommandSent;
import io.sagastream.engine.JournalEvent.StepCompensated;
import io.sagastream.engine.JournalEvent.StepFailed;
import io.sagastream.engine.JournalEvent.StepRetryScheduled;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One decision in the making: the instance being changed, the effects so far, and the moves the
 * transition table's rules are made of (send a command, retry, compensate, complete, raise an
 * incident).
 */
final class DecisionContext {

  /** The error code of a try that got no reply within the step's timeout. */
  static final String TIMED_OUT = "timeout";

  private final SagaDefinition definition;
  private final SagaInstance.Builder instance;
  private final Instant now;
  private final List<Effect> effects = new ArrayList<>();
  private boolean progressed = true;

  DecisionContext(SagaDefinition definition, SagaInstance.Builder instance, Instant now) {
    this.definition = definition;
    this.instance = instance;
    this.now = now;
  }

  SagaDefinition definition() {
    return definition;
  }

  SagaInstance.Builder instance() {
    return instance;
  }

  Instant now() {
    return now;
  }

  /** Keeps the instance's updatedAt: the decision records something that moved nothing. */
  void leaveUpdatedAt() {
    progressed = false;
  }

  /**
   * The decision; an instance is only touched (updatedAt) by a decision with effects that moved it.
   */
  Decision decision() {
    if (!effects.isEmpty() && progressed) {
      instance.updatedAt(now);
    }
    return new Decision(instance.build(), effects);
  }

  void publish(JournalEvent event, String detail) {
    long sequence = instance.record(now, event, detail);
    effects.add(new PublishEvent(sequence, now, event));
  }

  void schedule(Timer timer) {
    instance.timers().add(timer);
    effects.add(new ScheduleTimer(timer));
  }

  /**
   * Replaces every timer of the instance that is past due, lost since it did not fire, with one of
   * the same kind and reference due now; a timer still to come stays.
   */
  void rearmOverdueTimers() {
    for (Timer timer : List.copyOf(instance.timers())) {
      if (timer.dueAt().isBefore(now)) {
        cancel(timer);
        schedule(new Timer(timer.kind(), now, timer.reference()));
      }
    }
  }

  /** Cancels every timer of the instance of {@code kind}. */
  void cancelTimers(TimerKind kind) {
    for (Timer timer : List.copyOf(instance.timers())) {
      if (timer.kind() == kind) {
        cancel(timer);
      }
    }
  }

  void cancel(Timer timer) {
    if (instance.timers().remove(timer)) {
      effects.add(new CancelTimer(timer));
    }
  }

  /** Sends a fresh attempt of step {@code index}'s command of {@code kind}. */
  void send(int index, CommandKind kind, int tryNumber) {
    StepDefinition step = definition.step(index);
    int attempt = instance.nextAttempt(step.name(), kind);
    sendAttempt(index, kind, attempt, tryNumber);
  }

  void sendAttempt(int index, CommandKind kind, int attempt, int tryNumber) {
    StepDefinition step = definition.step(index);
    String commandId = CommandIds.commandId(instance.sagaId(), step.name(), kind, attempt);
    Instant deadline = now.plus(step.timeout());
    String topic = step.topicOf(kind);
    instance.retries().removeIf(r -> r.stepIndex() == index && r.kind() == kind);
    instance
        .inFlight()
        .add(new AwaitedCommand(index, kind, attempt, tryNumber, commandId, deadline));
    effects.add(new SendCommand(step.name(), kind, commandId, attempt, topic, deadline, false));
    publish(
        new StepCommandSent(step.name(), kind, commandId, attempt, topic, deadline),
        step.name() + " " + kind.name().toLowerCase() + " attempt " + attempt);
    schedule(new Timer(TimerKind.STEP_TIMEOUT, deadline, commandId));
  }

  /** Sends every command in flight again under its own id (recovery), with a fresh timeout. */
  void redeliverInFlight() {
    for (AwaitedCommand awaited : List.copyOf(instance.inFlight())) {
      StepDefinition step = definition.step(awaited.stepIndex());
      Instant deadline = now.plus(step.timeout());
      cancelTimeoutOf(awaited.commandId());
      instance.inFlight().remove(awaited);
      instance
          .inFlight()
          .add(
              new AwaitedCommand(
                  awaited.stepIndex(),
                  awaited.kind(),
                  awaited.attempt(),
                  awaited.tryNumber(),
                  awaited.commandId(),
                  deadline));
      effects.add(
          new SendCommand(
              step.name(),
              awaited.kind(),
              awaited.commandId(),
              awaited.attempt(),
              step.topicOf(awaited.kind()),
              deadline,
              true));
      publish(
          new JournalEvent.SagaRedriven(
              step.name(), awaited.kind(), awaited.commandId(), awaited.attempt()),
          step.name() + " redelivered");
      schedule(new Timer(TimerKind.STEP_TIMEOUT, deadline, awaited.commandId()));
    }
  }

  /** Sends a pending retry now, its backoff over. */
  void sendRetry(PendingRetry retry) {
    for (Timer timer : List.copyOf(instance.timers())) {
      if (timer.kind() == TimerKind.RETRY_BACKOFF && timer.reference().equals(retry.commandId())) {
        cancel(timer);
      }
    }
    sendAttempt(retry.stepIndex(), retry.kind(), retry.attempt(), retry.tryNumber());
  }

  void cancelTimeoutOf(String commandId) {
    for (Timer timer : List.copyOf(instance.timers())) {
      if (timer.kind() == TimerKind.STEP_TIMEOUT && timer.reference().equals(commandId)) {
        cancel(timer);
      }
    }
  }

  /**
   * Starts step {@code index} (with every branch running beside it, for a parallel step), or
   * completes the saga when there is no such step.
   */
  void startStepOrComplete(int index) {
    if (index >= definition.steps().size()) {
      complete();
    } else if (definition.step(index).isReceive()) {
      enterReceive(index);
    } else {
      instance.status(SagaStatus.RUNNING);
      for (int branch : definition.stepsRunningWith(index)) {
        send(branch, CommandKind.ACTION, 1);
      }
    }
  }

  /** The first step after step {@code index} and the branches running beside it. */
  int stepAfter(int index) {
    List<Integer> together = definition.stepsRunningWith(index);
    return together.get(together.size() - 1) + 1;
  }

  /** Whether every step running beside step {@code index} (itself included) has completed. */
  boolean allCompletedWith(int index) {
    return instance.completedSteps().containsAll(definition.stepsRunningWith(index));
  }

  /** Waits in receive step {@code index} for its message, for at most its timeout. */
  void enterReceive(int index) {
    StepDefinition step = definition.step(index);
    ReceiveSpec receive = step.receive().orElseThrow();
    Instant timeoutAt = receive.timeout().map(now::plus).orElse(null);
    instance.status(SagaStatus.WAITING);
    instance.waitingFor(new WaitingFor(index, receive.messageName()));
    publish(
        new MessageAwaited(step.name(), receive.messageName(), timeoutAt),
        step.name() + " waits for " + receive.messageName());
    if (timeoutAt != null) {
      schedule(
          new Timer(TimerKind.RECEIVE_TIMEOUT, timeoutAt, instance.sagaId() + "/" + step.name()));
    }
    awaitMessage(step.name(), receive.messageName());
  }

  void awaitMessage(String step, String messageName) {
    effects.add(new AwaitMessage(step, messageName));
  }

  /** The receive step is over (its message came, or its timeout says go on): the next step. */
  void receiveDone() {
    WaitingFor waiting = instance.waitingFor();
    instance.waitingFor(null);
    cancelTimers(TimerKind.RECEIVE_TIMEOUT);
    instance.completedSteps().add(waiting.stepIndex());
    instance.status(SagaStatus.RUNNING);
    startStepOrComplete(waiting.stepIndex() + 1);
  }

  /** The receive step's message did not come and its timeout says fail: wait for an operator. */
  void raiseReceiveIncident() {
    WaitingFor waiting = instance.waitingFor();
    StepDefinition step = definition.step(waiting.stepIndex());
    String message = "no " + waiting.messageName() + " message in time";
    Incident incident =
        new Incident(waiting.stepIndex(), step.name(), null, 0, "receive-timeout", message, now);
    instance.waitingFor(null);
    instance.incident(incident);
    instance.status(SagaStatus.FAILED);
    effects.add(new RaiseIncident(incident));
    publish(new IncidentRaised(step.name(), null, 0, "receive-timeout", message), message);
    publish(new SagaFailed(step.name(), message), "failed");
  }

  /**
   * A command failed for now (a retryable failure or a timeout): schedule another try after the
   * backoff, or, when the policy allows no more, fail the step or raise an incident.
   */
  void attemptFailed(
      AwaitedCommand failed, String errorCode, String errorMessage, boolean unanswered) {
    StepDefinition step = definition.step(failed.stepIndex());
    RetryPolicy policy = step.retryOf(failed.kind());
    instance.inFlight().remove(failed);
    if (unanswered && failed.kind() == CommandKind.ACTION) {
      instance.actionUnanswered(failed.stepIndex());
    }
    if (policy.allowsAnotherTry(failed.tryNumber())) {
      int nextAttempt = instance.nextAttempt(step.name(), failed.kind());
      int nextTry = failed.tryNumber() + 1;
      String nextId =
          CommandIds.commandId(instance.sagaId(), step.name(), failed.kind(), nextAttempt);
      Duration delay = policy.delayBefore(nextTry, nextId);
      Instant dueAt = now.plus(delay);
      instance
          .retries()
          .add(new PendingRetry(failed.stepIndex(), failed.kind(), nextAttempt, nextTry, nextId));
      publish(
          new StepRetryScheduled(
              step.name(), failed.kind(), nextAttempt, dueAt, errorCode, errorMessage),
          step.name() + " retry " + nextAttempt + " in " + delay);
      schedule(new Timer(TimerKind.RETRY_BACKOFF, dueAt, nextId));
    } else if (failed.kind() == CommandKind.ACTION) {
      stepFailed(failed, errorCode, errorMessage, unanswered);
    } else {
      raiseIncident(failed, errorCode, errorMessage);
    }
  }

  /**
   * The step's action failed for good, as its participant said: undo the completed steps. Branches
   * of the same parallel step still in flight are waited for, and undone if they did their work.
   */
  void stepFailed(AwaitedCommand failed, String errorCode, String errorMessage) {
    stepFailed(failed, errorCode, errorMessage, false);
  }

  /**
   * Whether a branch that answered failure after its parallel step failed may still have done its
   * work: an earlier try of it went unanswered.
   */
  boolean mayHaveActed(AwaitedCommand branch) {
    return instance.actionWentUnanswered(branch.stepIndex());
  }

  /**
   * As {@link #stepFailed(AwaitedCommand, String, String)}; with {@code lastTryUnanswered}, or when
   * an earlier try went unanswered, the step may have done its work, and is undone first.
   */
  private void stepFailed(
      AwaitedCommand failed, String errorCode, String errorMessage, boolean lastTryUnanswered) {
    boolean outcomeUnknown = lastTryUnanswered || instance.actionWentUnanswered(failed.stepIndex());
    String step = definition.step(failed.stepIndex()).name();
    instance.inFlight().remove(failed);
    publish(
        new StepFailed(step, failed.tryNumber(), errorCode, errorMessage),
        step + " failed" + because(errorMessage));
    startCompensation(
        CompensationReason.STEP_FAILED,
        step,
        false,
        outcomeUnknown ? List.of(failed.stepIndex()) : List.of());
  }

  /**
   * Begins undoing the completed steps in reverse completion order. With {@code undoInFlight}
   * (cancel, deadline) the actions in flight, whose outcome is unknown, are undone first; otherwise
   * (a failed step) they are waited for, and undone if they succeed or time out.
   */
  void startCompensation(CompensationReason reason, String failedStep, boolean undoInFlight) {
    startCompensation(reason, failedStep, undoInFlight, List.of());
  }

  /**
   * As {@link #startCompensation(CompensationReason, String, boolean)}, undoing {@code
   * mayHaveActed} (steps not completed whose outcome is unknown) before the completed steps. So are
   * actions waiting to be tried again: an earlier try may have timed out after doing its work.
   * Compensations must succeed when there is nothing to undo, so undoing what may not have happened
   * is safe, where leaving what did happen is not.
   */
  private void startCompensation(
      CompensationReason reason,
      String failedStep,
      boolean undoInFlight,
      List<Integer> mayHaveActed) {
    cancelTimers(TimerKind.RETRY_BACKOFF);
    cancelTimers(TimerKind.RECEIVE_TIMEOUT);
    instance.waitingFor(null);
    List<Integer> queue = new ArrayList<>();
    if (undoInFlight) {
      List<AwaitedCommand> inFlight = List.copyOf(instance.inFlight());
      for (int i = inFlight.size() - 1; i >= 0; i--) {
        queue.add(inFlight.get(i).stepIndex());
        cancelTimeoutOf(inFlight.get(i).commandId());
        instance.inFlight().remove(inFlight.get(i));
      }
    }
    queue.addAll(mayHaveActed);
    for (PendingRetry retry : instance.retries()) {
      if (retry.kind() == CommandKind.ACTION && !queue.contains(retry.stepIndex())) {
        queue.add(retry.stepIndex());
      }
    }
    instance.retries().clear();
    if (failedStep == null && !queue.isEmpty()) {
      failedStep = definition.step(queue.get(0)).name();
    }
    List<Integer> completed = instance.completedSteps();
    for (int i = completed.size() - 1; i >= 0; i--) {
      queue.add(completed.get(i));
    }
    instance.compensationQueue(queue);
    instance.status(SagaStatus.COMPENSATING);
    publish(
        new CompensationStarted(reason, failedStep),
        "undoing the completed steps: " + reason.name().toLowerCase().replace('_', ' '));
    compensateNext();
  }

  /**
   * A branch in flight when its parallel step failed did its work after all (it succeeded, or timed
   * out with its outcome unknown): it is the latest to complete, so it is undone first.
   */
  void lateBranchDone(AwaitedCommand branch) {
    instance.inFlight().remove(branch);
    instance.completedSteps().add(branch.stepIndex());
    instance.compensationQueue().add(0, branch.stepIndex());
    compensateNext();
  }

  /** A branch in flight when its parallel step failed did not do its work: nothing to undo. */
  void lateBranchFailed(AwaitedCommand branch) {
    instance.inFlight().remove(branch);
    compensateNext();
  }

  /**
   * Sends the next compensation, passing over steps with nothing to undo; ends when none is left.
   */
  void compensateNext() {
    boolean branchesOutstanding =
        instance.inFlight().stream().anyMatch(c -> c.kind() == CommandKind.ACTION);
    boolean compensating =
        instance.inFlight().stream().anyMatch(c -> c.kind() == CommandKind.COMPENSATION);
    if (branchesOutstanding || compensating) {
      // Undo in reverse completion order: wait until every branch still in flight has answered.
      return;
    }
    List<Integer> queue = instance.compensationQueue();
    while (!queue.isEmpty()) {
      int index = queue.get(0);
      StepDefinition step = definition.step(index);
      if (step.compensationTopic().isPresent()) {
        send(index, CommandKind.COMPENSATION, 1);
        return;
      }
      queue.remove(0);
      publish(new StepCompensated(step.name(), 0), step.name() + " has nothing to undo");
    }
    instance.status(SagaStatus.COMPENSATED);
    cancelTimers(TimerKind.SAGA_DEADLINE);
    publish(new SagaCompensated(), "compensated");
  }

  /** The compensation at the head of the queue succeeded (or was skipped): go on with the next. */
  void compensationDone(int attempts) {
    int index = instance.compensationQueue().remove(0);
    publish(
        new StepCompensated(definition.step(index).name(), attempts),
        definition.step(index).name() + " undone");
    compensateNext();
  }

  /** An operator skipped the compensation at the head of the queue: go on without it. */
  void skipCompensation() {
    instance.compensationQueue().remove(0);
    compensateNext();
  }

  void complete() {
    instance.status(SagaStatus.COMPLETED);
    cancelTimers(TimerKind.SAGA_DEADLINE);
    publish(new SagaCompleted(), "completed");
  }

  /** A compensation cannot finish by itself: wait for an operator. */
  void raiseIncident(AwaitedCommand failed, String errorCode, String errorMessage) {
    StepDefinition step = definition.step(failed.stepIndex());
    Incident incident =
        new Incident(
            failed.stepIndex(),
            step.name(),
            failed.kind(),
            failed.tryNumber(),
            errorCode,
            errorMessage,
            now);
    instance.inFlight().remove(failed);
    instance.incident(incident);
    instance.status(SagaStatus.FAILED);
    effects.add(new RaiseIncident(incident));
    publish(
        new IncidentRaised(step.name(), failed.kind(), failed.tryNumber(), errorCode, errorMessage),
        step.name() + " needs an operator" + because(errorMessage));
    publish(new SagaFailed(step.name(), errorMessage), "failed");
  }

  /**
   * The participant's error message for a history detail: {@code ": message"}, or a plain note that
   * it gave none, rather than the word "null".
   */
  private static String because(String errorMessage) {
    return errorMessage == null || errorMessage.isBlank()
        ? " (no message from the participant)"
        : ": " + errorMessage;
  }
}
