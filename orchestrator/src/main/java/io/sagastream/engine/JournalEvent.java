package io.sagastream.engine;

import java.time.Instant;

/** A lifecycle event of a saga instance, as the engine decides it; the journal publishes each. */
public sealed interface JournalEvent {

  /** The event's name, as history and the journal show it. */
  default String type() {
    return getClass().getSimpleName();
  }

  /** Why a reply was not acted on. */
  enum IgnoredReplyReason {
    /** The reply to this command was already processed. */
    DUPLICATE,
    /** A reply to an earlier attempt of the command now awaited. */
    STALE_ATTEMPT,
    /** No command with this id is awaited. */
    NOT_AWAITED,
    /** The saga has ended. */
    SAGA_ENDED
  }

  /** Why a saga began undoing its steps. */
  enum CompensationReason {
    STEP_FAILED,
    DEADLINE_EXPIRED,
    CANCELLED,
    RECEIVE_TIMED_OUT
  }

  record SagaStarted(String requestId, String startedBy) implements JournalEvent {}

  record StepCommandSent(
      String step, CommandKind kind, String commandId, int attempt, String topic, Instant deadline)
      implements JournalEvent {}

  record StepReplyReceived(
      String step,
      CommandKind kind,
      String commandId,
      int attempt,
      ReplyOutcome outcome,
      String errorCode,
      String errorMessage)
      implements JournalEvent {}

  record ReplyIgnored(String step, String commandId, IgnoredReplyReason reason)
      implements JournalEvent {}

  record StepRetryScheduled(
      String step,
      CommandKind kind,
      int nextAttempt,
      Instant dueAt,
      String errorCode,
      String errorMessage)
      implements JournalEvent {}

  record StepTimedOut(String step, CommandKind kind, String commandId, int attempt)
      implements JournalEvent {}

  record StepCompleted(String step, int attempt) implements JournalEvent {}

  record StepFailed(String step, int attempts, String errorCode, String errorMessage)
      implements JournalEvent {}

  record CompensationStarted(CompensationReason reason, String failedStep)
      implements JournalEvent {}

  record StepCompensated(String step, int attempts) implements JournalEvent {}

  record IncidentRaised(
      String step, CommandKind kind, int attempts, String errorCode, String errorMessage)
      implements JournalEvent {}

  record IncidentResolved(IncidentResolution resolution, String resolvedBy, String comment)
      implements JournalEvent {}

  /**
   * The saga left a receive step's incident without an operator's resolution: a cancel or the
   * deadline started compensation. A journal reader counting open incidents closes it here.
   */
  record IncidentClosed(String step, CompensationReason reason) implements JournalEvent {}

  /** An operator's resolution the saga did not carry out: no incident, or not the one named. */
  record IncidentResolutionIgnored(
      IncidentResolution resolution, String resolvedBy, Instant incidentRaisedAt)
      implements JournalEvent {}

  record SagaCancellationRequested(String requestedBy, String reason) implements JournalEvent {}

  record SagaDeadlineExpired(Instant deadline) implements JournalEvent {}

  record SagaRedriven(String step, CommandKind kind, String commandId, int attempt)
      implements JournalEvent {}

  record MessageAwaited(String step, String messageName, Instant timeoutAt)
      implements JournalEvent {}

  record MessageCorrelated(String step, String messageName, String messageId)
      implements JournalEvent {}

  record ReceiveTimedOut(
      String step, String messageName, ReceiveSpec.ReceiveTimeoutAction onTimeout)
      implements JournalEvent {}

  record SagaCompleted() implements JournalEvent {}

  record SagaCompensated() implements JournalEvent {}

  record SagaFailed(String step, String errorMessage) implements JournalEvent {}
}
