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

  private final SagaDefinition definition;
  private final SagaInstance.Builder instance;
  private final Instant now;
  private final List<Effect> effects = new ArrayList<>();

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

  /** The decision; an instance is only touched (updatedAt) by a decision with effects. */
  Decision decision() {
    if (!effects.isEmpty()) {
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
    instance.pendingRetry(null);
    instance.awaited(new AwaitedCommand(index, kind, attempt, tryNumber, commandId, deadline));
    effects.add(new SendCommand(step.name(), kind, commandId, attempt, topic, deadline, false));
    publish(
        new StepCommandSent(step.name(), kind, commandId, attempt, topic, deadline),
        step.name() + " " + kind.name().toLowerCase() + " attempt " + attempt);
    schedule(new Timer(TimerKind.STEP_TIMEOUT, deadline, commandId));
  }

  /** Sends the awaited command again under its own id (recovery), with a fresh timeout. */
  void redeliverAwaited() {
    AwaitedCommand awaited = instance.awaited();
    StepDefinition step = definition.step(awaited.stepIndex());
    Instant deadline = now.plus(step.timeout());
    cancelTimers(TimerKind.STEP_TIMEOUT);
    instance.awaited(
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

  /** Starts step {@code index}, or completes the saga when there is no such step. */
  void startStepOrComplete(int index) {
    if (index >= definition.steps().size()) {
      complete();
    } else if (definition.step(index).isReceive()) {
      enterReceive(index);
    } else {
      instance.status(SagaStatus.RUNNING);
      send(index, CommandKind.ACTION, 1);
    }
  }

  /** Waits in receive step {@code index} for its message, for at most its timeout. */
  void enterReceive(int index) {
    StepDefinition step = definition.step(index);
    ReceiveSpec receive = step.receive().orElseThrow();
    Instant timeoutAt = receive.timeout().map(now::plus).orElse(null);
    instance.status(SagaStatus.WAITING);
    instance.awaited(null);
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
   * The awaited command failed (a retryable failure or a timeout): schedule another try after the
   * backoff, or, when the policy allows no more, fail the step or raise an incident.
   */
  void attemptFailed(String errorCode, String errorMessage) {
    AwaitedCommand failed = instance.awaited();
    StepDefinition step = definition.step(failed.stepIndex());
    RetryPolicy policy = step.retryOf(failed.kind());
    instance.awaited(null);
    if (policy.allowsAnotherTry(failed.tryNumber())) {
      int nextAttempt = instance.nextAttempt(step.name(), failed.kind());
      int nextTry = failed.tryNumber() + 1;
      String nextId =
          CommandIds.commandId(instance.sagaId(), step.name(), failed.kind(), nextAttempt);
      Duration delay = policy.delayBefore(nextTry, nextId);
      Instant dueAt = now.plus(delay);
      instance.pendingRetry(
          new PendingRetry(failed.stepIndex(), failed.kind(), nextAttempt, nextTry, nextId));
      publish(
          new StepRetryScheduled(
              step.name(), failed.kind(), nextAttempt, dueAt, errorCode, errorMessage),
          step.name() + " retry " + nextAttempt + " in " + delay);
      schedule(new Timer(TimerKind.RETRY_BACKOFF, dueAt, nextId));
    } else if (failed.kind() == CommandKind.ACTION) {
      stepFailed(failed, errorCode, errorMessage);
    } else {
      raiseIncident(failed, errorCode, errorMessage);
    }
  }

  /** The step's action failed for good: undo the completed steps. */
  void stepFailed(AwaitedCommand failed, String errorCode, String errorMessage) {
    String step = definition.step(failed.stepIndex()).name();
    instance.awaited(null);
    publish(
        new StepFailed(step, failed.tryNumber(), errorCode, errorMessage),
        step + " failed: " + errorMessage);
    startCompensation(CompensationReason.STEP_FAILED, step, List.of());
  }

  /**
   * Begins undoing: the completed steps in reverse completion order, after {@code alsoUndo} (a step
   * whose outcome is unknown because its command was in flight).
   */
  void startCompensation(CompensationReason reason, String failedStep, List<Integer> alsoUndo) {
    cancelTimers(TimerKind.STEP_TIMEOUT);
    cancelTimers(TimerKind.RETRY_BACKOFF);
    cancelTimers(TimerKind.RECEIVE_TIMEOUT);
    instance.awaited(null);
    instance.waitingFor(null);
    instance.pendingRetry(null);
    List<Integer> queue = new ArrayList<>(alsoUndo);
    List<Integer> completed = instance.completedSteps();
    for (int i = completed.size() - 1; i >= 0; i--) {
      queue.add(completed.get(i));
    }
    instance.compensationQueue(queue);
    instance.status(SagaStatus.COMPENSATING);
    publish(new CompensationStarted(reason, failedStep), reason.name().toLowerCase());
    compensateNext();
  }

  /**
   * Sends the next compensation, passing over steps with nothing to undo; ends when none is left.
   */
  void compensateNext() {
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
    instance.awaited(null);
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
    instance.awaited(null);
    instance.incident(incident);
    instance.status(SagaStatus.FAILED);
    effects.add(new RaiseIncident(incident));
    publish(
        new IncidentRaised(step.name(), failed.kind(), failed.tryNumber(), errorCode, errorMessage),
        step.name() + " needs an operator: " + errorMessage);
    publish(new SagaFailed(step.name(), errorMessage), "failed");
  }
}
