package io.sagastream.engine;

import io.sagastream.engine.EngineCommand.CancelSaga;
import io.sagastream.engine.EngineCommand.DeliverMessage;
import io.sagastream.engine.EngineCommand.FireTimer;
import io.sagastream.engine.EngineCommand.HandleReply;
import io.sagastream.engine.EngineCommand.ResolveIncident;
import io.sagastream.engine.EngineCommand.StartSaga;
import io.sagastream.engine.JournalEvent.CompensationReason;
import io.sagastream.engine.JournalEvent.IgnoredReplyReason;
import io.sagastream.engine.JournalEvent.IncidentResolved;
import io.sagastream.engine.JournalEvent.MessageCorrelated;
import io.sagastream.engine.JournalEvent.ReceiveTimedOut;
import io.sagastream.engine.JournalEvent.ReplyIgnored;
import io.sagastream.engine.JournalEvent.SagaCancellationRequested;
import io.sagastream.engine.JournalEvent.SagaDeadlineExpired;
import io.sagastream.engine.JournalEvent.SagaStarted;
import io.sagastream.engine.JournalEvent.StepCompleted;
import io.sagastream.engine.JournalEvent.StepReplyReceived;
import io.sagastream.engine.JournalEvent.StepTimedOut;
import java.util.List;

/** The actions of the transition table's rules. Each works on one decision in the making. */
final class Moves {

  private Moves() {}

  static void nothing(DecisionContext context, EngineCommand command) {}

  static void start(DecisionContext context, EngineCommand command) {
    StartSaga start = (StartSaga) command;
    var instance = context.instance();
    context.publish(new SagaStarted(start.requestId(), start.requestedBy()), "started");
    if (instance.deadline() != null) {
      context.schedule(new Timer(TimerKind.SAGA_DEADLINE, instance.deadline(), instance.sagaId()));
    }
    context.startStepOrComplete(0);
  }

  static void actionSucceeded(DecisionContext context, EngineCommand command) {
    HandleReply reply = (HandleReply) command;
    AwaitedCommand awaited = acceptReply(context, reply);
    var instance = context.instance();
    if (reply.mergedData() != null) {
      instance.data(reply.mergedData());
    }
    instance.completedSteps().add(awaited.stepIndex());
    String step = context.definition().step(awaited.stepIndex()).name();
    context.publish(new StepCompleted(step, awaited.attempt()), step + " completed");
    context.startStepOrComplete(awaited.stepIndex() + 1);
  }

  static void replyFailedForNow(DecisionContext context, EngineCommand command) {
    HandleReply reply = (HandleReply) command;
    acceptReply(context, reply);
    context.attemptFailed(reply.errorCode(), reply.errorMessage());
  }

  static void actionFailed(DecisionContext context, EngineCommand command) {
    HandleReply reply = (HandleReply) command;
    AwaitedCommand awaited = acceptReply(context, reply);
    context.stepFailed(awaited, reply.errorCode(), reply.errorMessage());
  }

  static void compensationSucceeded(DecisionContext context, EngineCommand command) {
    AwaitedCommand awaited = acceptReply(context, (HandleReply) command);
    context.instance().awaited(null);
    context.compensationDone(awaited.tryNumber());
  }

  static void compensationFailed(DecisionContext context, EngineCommand command) {
    HandleReply reply = (HandleReply) command;
    AwaitedCommand awaited = acceptReply(context, reply);
    context.raiseIncident(awaited, reply.errorCode(), reply.errorMessage());
  }

  static void ignoreReply(DecisionContext context, EngineCommand command) {
    HandleReply reply = (HandleReply) command;
    var instance = context.instance();
    IgnoredReplyReason reason;
    String step = null;
    if (instance.status().isTerminal()) {
      reason = IgnoredReplyReason.SAGA_ENDED;
    } else if (reply.commandId().equals(instance.lastAnsweredCommandId())) {
      reason = IgnoredReplyReason.DUPLICATE;
    } else if ((step = earlierAttemptOf(context, reply.commandId())) != null) {
      reason = IgnoredReplyReason.STALE_ATTEMPT;
    } else {
      reason = IgnoredReplyReason.NOT_AWAITED;
    }
    context.publish(
        new ReplyIgnored(step, reply.commandId(), reason),
        "reply to " + reply.commandId() + " ignored: " + reason.name().toLowerCase());
  }

  static void timedOut(DecisionContext context, EngineCommand command) {
    AwaitedCommand awaited = context.instance().awaited();
    var step = context.definition().step(awaited.stepIndex());
    context.publish(
        new StepTimedOut(step.name(), awaited.kind(), awaited.commandId(), awaited.attempt()),
        step.name() + " attempt " + awaited.attempt() + " timed out");
    context.attemptFailed("timeout", "no reply within " + step.timeout());
  }

  static void sendPendingRetry(DecisionContext context, EngineCommand command) {
    PendingRetry retry = context.instance().pendingRetry();
    context.cancelTimers(TimerKind.RETRY_BACKOFF);
    context.sendAttempt(retry.stepIndex(), retry.kind(), retry.attempt(), retry.tryNumber());
  }

  static void deadlineExpired(DecisionContext context, EngineCommand command) {
    FireTimer fire = (FireTimer) command;
    context.publish(new SagaDeadlineExpired(fire.timer().dueAt()), "deadline passed");
    context.startCompensation(
        CompensationReason.DEADLINE_EXPIRED, inFlightStepName(context), inFlightAction(context));
  }

  static void cancel(DecisionContext context, EngineCommand command) {
    CancelSaga cancel = (CancelSaga) command;
    context.publish(
        new SagaCancellationRequested(cancel.requestedBy(), cancel.reason()),
        "cancel requested by " + cancel.requestedBy());
    context.startCompensation(
        CompensationReason.CANCELLED, inFlightStepName(context), inFlightAction(context));
  }

  static void retryIncident(DecisionContext context, EngineCommand command) {
    ResolveIncident resolve = (ResolveIncident) command;
    Incident incident = resolveIncident(context, resolve);
    context.send(incident.stepIndex(), incident.kind(), 1);
  }

  static void skipIncident(DecisionContext context, EngineCommand command) {
    resolveIncident(context, (ResolveIncident) command);
    context.skipCompensation();
  }

  static void deliverMessage(DecisionContext context, EngineCommand command) {
    DeliverMessage message = (DeliverMessage) command;
    var instance = context.instance();
    WaitingFor waiting = instance.waitingFor();
    String step = context.definition().step(waiting.stepIndex()).name();
    if (message.mergedData() != null) {
      instance.data(message.mergedData());
    }
    context.publish(
        new MessageCorrelated(step, message.messageName(), message.messageId()),
        step + " received " + message.messageName());
    context.receiveDone();
  }

  static void receiveTimedOut(DecisionContext context, EngineCommand command) {
    WaitingFor waiting = context.instance().waitingFor();
    StepDefinition step = context.definition().step(waiting.stepIndex());
    ReceiveSpec.ReceiveTimeoutAction action = step.receive().orElseThrow().onTimeout();
    context.publish(
        new ReceiveTimedOut(step.name(), waiting.messageName(), action),
        step.name() + ": no " + waiting.messageName() + " in time, " + action.name().toLowerCase());
    switch (action) {
      case CONTINUE -> context.receiveDone();
      case FAIL -> context.raiseReceiveIncident();
      case COMPENSATE -> {
        context.instance().waitingFor(null);
        context.startCompensation(CompensationReason.RECEIVE_TIMED_OUT, step.name(), List.of());
      }
    }
  }

  static void waitAgain(DecisionContext context, EngineCommand command) {
    Incident incident = resolveIncident(context, (ResolveIncident) command);
    context.enterReceive(incident.stepIndex());
  }

  static void skipReceive(DecisionContext context, EngineCommand command) {
    Incident incident = resolveIncident(context, (ResolveIncident) command);
    context.instance().completedSteps().add(incident.stepIndex());
    context.startStepOrComplete(incident.stepIndex() + 1);
  }

  /** Asks again for a message already in the inbox: recovery for a waiting instance. */
  static void awaitAgain(DecisionContext context, EngineCommand command) {
    WaitingFor waiting = context.instance().waitingFor();
    context.awaitMessage(
        context.definition().step(waiting.stepIndex()).name(), waiting.messageName());
  }

  static void redeliver(DecisionContext context, EngineCommand command) {
    context.redeliverAwaited();
  }

  /** Records an awaited reply: its timeout no longer matters, and a second copy is a duplicate. */
  private static AwaitedCommand acceptReply(DecisionContext context, HandleReply reply) {
    var instance = context.instance();
    AwaitedCommand awaited = instance.awaited();
    String step = context.definition().step(awaited.stepIndex()).name();
    for (Timer timer : List.copyOf(instance.timers())) {
      if (timer.kind() == TimerKind.STEP_TIMEOUT && timer.reference().equals(reply.commandId())) {
        context.cancel(timer);
      }
    }
    instance.lastAnsweredCommandId(reply.commandId());
    context.publish(
        new StepReplyReceived(
            step,
            awaited.kind(),
            awaited.commandId(),
            awaited.attempt(),
            reply.outcome(),
            reply.errorCode(),
            reply.errorMessage()),
        step + " replied " + reply.outcome().name().toLowerCase());
    return awaited;
  }

  private static Incident resolveIncident(DecisionContext context, ResolveIncident resolve) {
    var instance = context.instance();
    Incident incident = instance.incident();
    instance.incident(null);
    instance.status(SagaStatus.COMPENSATING);
    context.publish(
        new IncidentResolved(resolve.resolution(), resolve.resolvedBy(), resolve.comment()),
        "incident resolved by " + resolve.resolvedBy() + ": " + resolve.resolution());
    return incident;
  }

  /**
   * The name of the step whose action command is in flight, if any: its outcome is unknown, so a
   * cancel or deadline undoes it too (compensations must tolerate having nothing to undo).
   */
  private static String inFlightStepName(DecisionContext context) {
    List<Integer> inFlight = inFlightAction(context);
    return inFlight.isEmpty() ? null : context.definition().step(inFlight.get(0)).name();
  }

  private static List<Integer> inFlightAction(DecisionContext context) {
    AwaitedCommand awaited = context.instance().awaited();
    return awaited != null && awaited.kind() == CommandKind.ACTION
        ? List.of(awaited.stepIndex())
        : List.of();
  }

  /**
   * The step's name when {@code commandId} is an earlier attempt of the awaited or pending command.
   */
  private static String earlierAttemptOf(DecisionContext context, String commandId) {
    var instance = context.instance();
    Integer stepIndex = null;
    CommandKind kind = null;
    if (instance.awaited() != null) {
      stepIndex = instance.awaited().stepIndex();
      kind = instance.awaited().kind();
    } else if (instance.pendingRetry() != null) {
      stepIndex = instance.pendingRetry().stepIndex();
      kind = instance.pendingRetry().kind();
    }
    if (stepIndex == null) {
      return null;
    }
    String step = context.definition().step(stepIndex).name();
    String prefix = CommandIds.commandId(instance.sagaId(), step, kind, 0);
    prefix = prefix.substring(0, prefix.length() - 1);
    return commandId.startsWith(prefix) ? step : null;
  }
}
