package io.sagastream.engine;

import io.sagastream.engine.EngineCommand.CancelSaga;
import io.sagastream.engine.EngineCommand.DeliverMessage;
import io.sagastream.engine.EngineCommand.FireTimer;
import io.sagastream.engine.EngineCommand.HandleReply;
import io.sagastream.engine.EngineCommand.ResolveIncident;
import io.sagastream.engine.EngineCommand.StartSaga;
import io.sagastream.engine.JournalEvent.CompensationReason;
import io.sagastream.engine.JournalEvent.IgnoredReplyReason;
import io.sagastream.engine.JournalEvent.IncidentClosed;
import io.sagastream.engine.JournalEvent.IncidentResolutionIgnored;
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
import java.time.Instant;
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
    if (context.allCompletedWith(awaited.stepIndex())) {
      context.startStepOrComplete(context.stepAfter(awaited.stepIndex()));
    }
  }

  static void replyFailedForNow(DecisionContext context, EngineCommand command) {
    HandleReply reply = (HandleReply) command;
    AwaitedCommand failed = acceptReply(context, reply);
    context.attemptFailed(failed, reply.errorCode(), reply.errorMessage(), false);
  }

  static void actionFailed(DecisionContext context, EngineCommand command) {
    HandleReply reply = (HandleReply) command;
    AwaitedCommand awaited = acceptReply(context, reply);
    context.stepFailed(awaited, reply.errorCode(), reply.errorMessage());
  }

  static void compensationSucceeded(DecisionContext context, EngineCommand command) {
    AwaitedCommand awaited = acceptReply(context, (HandleReply) command);
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
    // Not progress: a stream of stray replies must neither keep an ended saga past its retention
    // nor hide a stuck one from the recovery scan.
    context.leaveUpdatedAt();
  }

  static void timedOut(DecisionContext context, EngineCommand command) {
    Timer timer = ((FireTimer) command).timer();
    AwaitedCommand awaited = context.instance().inFlight(timer.reference()).orElseThrow();
    var step = context.definition().step(awaited.stepIndex());
    context.publish(
        new StepTimedOut(step.name(), awaited.kind(), awaited.commandId(), awaited.attempt()),
        step.name() + " attempt " + awaited.attempt() + " timed out");
    context.attemptFailed(
        awaited, DecisionContext.TIMED_OUT, "no reply within " + step.timeout(), true);
  }

  static void sendPendingRetry(DecisionContext context, EngineCommand command) {
    if (command instanceof FireTimer fire) {
      context.sendRetry(context.instance().retry(fire.timer().reference()).orElseThrow());
    } else {
      // A redrive: a lost deadline must fall due too, not only the retries.
      context.rearmOverdueTimers();
      List.copyOf(context.instance().retries()).forEach(context::sendRetry);
    }
  }

  static void deadlineExpired(DecisionContext context, EngineCommand command) {
    publishDeadline(context, (FireTimer) command);
    context.startCompensation(CompensationReason.DEADLINE_EXPIRED, null, true);
  }

  static void cancel(DecisionContext context, EngineCommand command) {
    publishCancellation(context, (CancelSaga) command);
    context.startCompensation(CompensationReason.CANCELLED, null, true);
  }

  /** A cancel while the saga stands at a receive step's incident: undo what was done. */
  static void cancelAtReceiveIncident(DecisionContext context, EngineCommand command) {
    publishCancellation(context, (CancelSaga) command);
    closeIncident(context, CompensationReason.CANCELLED);
    context.startCompensation(CompensationReason.CANCELLED, null, true);
  }

  /** The deadline passed while the saga stands at a receive step's incident: undo what was done. */
  static void deadlineAtReceiveIncident(DecisionContext context, EngineCommand command) {
    publishDeadline(context, (FireTimer) command);
    closeIncident(context, CompensationReason.DEADLINE_EXPIRED);
    context.startCompensation(CompensationReason.DEADLINE_EXPIRED, null, true);
  }

  private static void publishDeadline(DecisionContext context, FireTimer fire) {
    // The saga's own deadline: a timer set again after it was lost falls due later than that.
    Instant deadline = context.instance().deadline();
    context.publish(
        new SagaDeadlineExpired(deadline == null ? fire.timer().dueAt() : deadline),
        "deadline passed");
  }

  private static void publishCancellation(DecisionContext context, CancelSaga cancel) {
    context.publish(
        new SagaCancellationRequested(cancel.requestedBy(), cancel.reason()),
        "cancel requested by " + cancel.requestedBy());
  }

  private static void closeIncident(DecisionContext context, CompensationReason reason) {
    Incident incident = context.instance().incident();
    context.instance().incident(null);
    context.publish(
        new IncidentClosed(incident.step(), reason),
        incident.step() + " incident closed: " + reason.name().toLowerCase());
  }

  /**
   * An operator's resolution that names no incident the saga has (a retried call, a console left
   * open): carried out, it would act on an incident nobody looked at.
   */
  static void ignoreResolution(DecisionContext context, EngineCommand command) {
    ResolveIncident resolve = (ResolveIncident) command;
    context.publish(
        new IncidentResolutionIgnored(
            resolve.resolution(), resolve.resolvedBy(), resolve.incidentRaisedAt()),
        resolve.resolution().name().toLowerCase()
            + " by "
            + resolve.resolvedBy()
            + " ignored: not for the saga's incident");
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
        context.startCompensation(CompensationReason.RECEIVE_TIMED_OUT, step.name(), false);
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

  /**
   * Sets a waiting saga's overdue timers again, due now: the recovery scan found them long overdue,
   * so the timer store lost them, and a receive step without its timeout would wait for ever.
   */
  static void rearmOverdueTimers(DecisionContext context, EngineCommand command) {
    context.rearmOverdueTimers();
  }

  /**
   * The awaited commands again, and every other overdue timer due now: a lost deadline or retry
   * would otherwise stay lost, the saga redriven again each recovery pass and never compensated.
   */
  static void redeliver(DecisionContext context, EngineCommand command) {
    context.rearmOverdueTimers();
    context.redeliverInFlight();
  }

  /** Records an awaited reply: its timeout no longer matters, and a second copy is a duplicate. */
  private static AwaitedCommand acceptReply(DecisionContext context, HandleReply reply) {
    var instance = context.instance();
    AwaitedCommand awaited = instance.inFlight(reply.commandId()).orElseThrow();
    instance.inFlight().remove(awaited);
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
   * The step's name when {@code commandId} is an earlier attempt of a command in flight or pending.
   */
  private static String earlierAttemptOf(DecisionContext context, String commandId) {
    var instance = context.instance();
    List<int[]> candidates = new java.util.ArrayList<>();
    instance.inFlight().forEach(c -> candidates.add(new int[] {c.stepIndex(), c.kind().ordinal()}));
    instance.retries().forEach(r -> candidates.add(new int[] {r.stepIndex(), r.kind().ordinal()}));
    for (int[] candidate : candidates) {
      String step = context.definition().step(candidate[0]).name();
      String zero =
          CommandIds.commandId(instance.sagaId(), step, CommandKind.values()[candidate[1]], 0);
      if (commandId.startsWith(zero.substring(0, zero.length() - 1))) {
        return step;
      }
    }
    return null;
  }

  /** A branch still in flight when its parallel step failed answered, or timed out. */
  static void lateBranchAnswered(DecisionContext context, EngineCommand command) {
    AwaitedCommand branch;
    boolean didItsWork;
    if (command instanceof FireTimer fire) {
      branch = context.instance().inFlight(fire.timer().reference()).orElseThrow();
      String step = context.definition().step(branch.stepIndex()).name();
      context.publish(
          new StepTimedOut(step, branch.kind(), branch.commandId(), branch.attempt()),
          step + " timed out after its parallel step failed");
      didItsWork = true;
    } else {
      HandleReply reply = (HandleReply) command;
      branch = acceptReply(context, reply);
      boolean succeeded = reply.outcome() == ReplyOutcome.SUCCESS;
      didItsWork = succeeded || context.mayHaveActed(branch);
      if (succeeded && reply.mergedData() != null) {
        // Its compensation is built from the data: what the branch answered (a charge id) is
        // what undoing it needs.
        context.instance().data(reply.mergedData());
      }
      if (succeeded) {
        String step = context.definition().step(branch.stepIndex()).name();
        context.publish(new StepCompleted(step, branch.attempt()), step + " completed late");
      }
    }
    if (didItsWork) {
      context.lateBranchDone(branch);
    } else {
      context.lateBranchFailed(branch);
    }
  }
}
