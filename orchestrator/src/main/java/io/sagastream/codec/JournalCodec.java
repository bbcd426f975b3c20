package io.sagastream.codec;

import io.sagastream.contracts.v1.CompensationReason;
import io.sagastream.contracts.v1.IgnoredReplyReason;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaKind;
import io.sagastream.engine.CommandKind;
import io.sagastream.engine.Effect.PublishEvent;
import io.sagastream.engine.JournalEvent;
import io.sagastream.engine.ReplyOutcome;
import io.sagastream.engine.SagaInstance;

/** Maps the engine's journal events to the published contract, {@code SagaEvent} (v1). */
public final class JournalCodec {

  private JournalCodec() {}

  public static SagaEvent toContract(SagaInstance instance, PublishEvent published) {
    return SagaEvent.newBuilder()
        .setEventId(instance.sagaId() + "/" + published.sequence())
        .setSagaId(instance.sagaId())
        .setSagaKey(instance.sagaKey())
        .setDefinitionName(instance.definitionName())
        .setDefinitionVersion(instance.definitionVersion())
        .setSequence(published.sequence())
        .setOccurredAt(published.occurredAt())
        .setEvent(event(published.event()))
        .build();
  }

  /** A journal event of the inbox, before any instance took the message; no saga id yet. */
  public static SagaEvent messageBuffered(
      String name, String messageId, java.time.Instant expiresAt) {
    return inboxEvent(
        io.sagastream.contracts.v1.MessageBuffered.newBuilder()
            .setMessageName(name)
            .setMessageId(messageId)
            .setExpiresAt(expiresAt)
            .build());
  }

  public static SagaEvent messageExpired(String name, String messageId) {
    return inboxEvent(
        io.sagastream.contracts.v1.MessageExpired.newBuilder()
            .setMessageName(name)
            .setMessageId(messageId)
            .build());
  }

  private static SagaEvent inboxEvent(Object event) {
    return SagaEvent.newBuilder()
        .setEventId("")
        .setSagaId("")
        .setSagaKey("")
        .setDefinitionName("")
        .setDefinitionVersion(0)
        .setSequence(0)
        .setOccurredAt(java.time.Instant.EPOCH)
        .setEvent(event)
        .build();
  }

  private static Object event(JournalEvent event) {
    if (event instanceof JournalEvent.SagaStarted e) {
      return io.sagastream.contracts.v1.SagaStarted.newBuilder()
          .setRequestId(e.requestId())
          .setStartedBy(e.startedBy())
          .build();
    } else if (event instanceof JournalEvent.StepCommandSent e) {
      return io.sagastream.contracts.v1.StepCommandSent.newBuilder()
          .setStep(e.step())
          .setKind(kind(e.kind()))
          .setCommandId(e.commandId())
          .setAttempt(e.attempt())
          .setTopic(e.topic())
          .setDeadline(e.deadline())
          .build();
    } else if (event instanceof JournalEvent.StepReplyReceived e) {
      return io.sagastream.contracts.v1.StepReplyReceived.newBuilder()
          .setStep(e.step())
          .setKind(kind(e.kind()))
          .setCommandId(e.commandId())
          .setAttempt(e.attempt())
          .setOutcome(outcome(e.outcome()))
          .setErrorCode(e.errorCode())
          .setErrorMessage(e.errorMessage())
          .build();
    } else if (event instanceof JournalEvent.ReplyIgnored e) {
      return io.sagastream.contracts.v1.ReplyIgnored.newBuilder()
          .setStep(e.step())
          .setCommandId(e.commandId())
          .setReason(IgnoredReplyReason.valueOf(e.reason().name()))
          .build();
    } else if (event instanceof JournalEvent.StepRetryScheduled e) {
      return io.sagastream.contracts.v1.StepRetryScheduled.newBuilder()
          .setStep(e.step())
          .setKind(kind(e.kind()))
          .setNextAttempt(e.nextAttempt())
          .setDueAt(e.dueAt())
          .setErrorCode(e.errorCode())
          .setErrorMessage(e.errorMessage())
          .build();
    } else if (event instanceof JournalEvent.StepTimedOut e) {
      return io.sagastream.contracts.v1.StepTimedOut.newBuilder()
          .setStep(e.step())
          .setKind(kind(e.kind()))
          .setCommandId(e.commandId())
          .setAttempt(e.attempt())
          .build();
    } else if (event instanceof JournalEvent.StepCompleted e) {
      return io.sagastream.contracts.v1.StepCompleted.newBuilder()
          .setStep(e.step())
          .setAttempt(e.attempt())
          .build();
    } else if (event instanceof JournalEvent.StepFailed e) {
      return io.sagastream.contracts.v1.StepFailed.newBuilder()
          .setStep(e.step())
          .setAttempts(e.attempts())
          .setErrorCode(e.errorCode())
          .setErrorMessage(e.errorMessage())
          .build();
    } else if (event instanceof JournalEvent.CompensationStarted e) {
      return io.sagastream.contracts.v1.CompensationStarted.newBuilder()
          .setReason(CompensationReason.valueOf(e.reason().name()))
          .setFailedStep(e.failedStep())
          .build();
    } else if (event instanceof JournalEvent.StepCompensated e) {
      return io.sagastream.contracts.v1.StepCompensated.newBuilder()
          .setStep(e.step())
          .setAttempts(e.attempts())
          .build();
    } else if (event instanceof JournalEvent.IncidentRaised e) {
      return io.sagastream.contracts.v1.IncidentRaised.newBuilder()
          .setStep(e.step())
          .setKind(kind(e.kind()))
          .setAttempts(e.attempts())
          .setErrorCode(e.errorCode())
          .setErrorMessage(e.errorMessage())
          .build();
    } else if (event instanceof JournalEvent.IncidentResolved e) {
      return io.sagastream.contracts.v1.IncidentResolved.newBuilder()
          .setResolution(
              io.sagastream.contracts.v1.IncidentResolution.valueOf(e.resolution().name()))
          .setResolvedBy(e.resolvedBy())
          .setComment(e.comment())
          .build();
    } else if (event instanceof JournalEvent.IncidentClosed e) {
      return io.sagastream.contracts.v1.IncidentClosed.newBuilder()
          .setStep(e.step())
          .setReason(CompensationReason.valueOf(e.reason().name()))
          .build();
    } else if (event instanceof JournalEvent.IncidentResolutionIgnored e) {
      return io.sagastream.contracts.v1.IncidentResolutionIgnored.newBuilder()
          .setResolution(
              io.sagastream.contracts.v1.IncidentResolution.valueOf(e.resolution().name()))
          .setResolvedBy(e.resolvedBy())
          .setIncidentRaisedAt(e.incidentRaisedAt())
          .build();
    } else if (event instanceof JournalEvent.SagaCancellationRequested e) {
      return io.sagastream.contracts.v1.SagaCancellationRequested.newBuilder()
          .setRequestedBy(e.requestedBy())
          .setReason(e.reason())
          .build();
    } else if (event instanceof JournalEvent.SagaDeadlineExpired e) {
      return io.sagastream.contracts.v1.SagaDeadlineExpired.newBuilder()
          .setDeadline(e.deadline())
          .build();
    } else if (event instanceof JournalEvent.SagaRedriven e) {
      return io.sagastream.contracts.v1.SagaRedriven.newBuilder()
          .setStep(e.step())
          .setKind(kind(e.kind()))
          .setCommandId(e.commandId())
          .setAttempt(e.attempt())
          .build();
    } else if (event instanceof JournalEvent.MessageAwaited e) {
      return io.sagastream.contracts.v1.MessageAwaited.newBuilder()
          .setStep(e.step())
          .setMessageName(e.messageName())
          .setTimeoutAt(e.timeoutAt())
          .build();
    } else if (event instanceof JournalEvent.MessageCorrelated e) {
      return io.sagastream.contracts.v1.MessageCorrelated.newBuilder()
          .setStep(e.step())
          .setMessageName(e.messageName())
          .setMessageId(e.messageId())
          .build();
    } else if (event instanceof JournalEvent.ReceiveTimedOut e) {
      return io.sagastream.contracts.v1.ReceiveTimedOut.newBuilder()
          .setStep(e.step())
          .setMessageName(e.messageName())
          .setOnTimeout(e.onTimeout().name().toLowerCase(java.util.Locale.ROOT))
          .build();
    } else if (event instanceof JournalEvent.SagaCompleted) {
      return io.sagastream.contracts.v1.SagaCompleted.newBuilder().build();
    } else if (event instanceof JournalEvent.SagaCompensated) {
      return io.sagastream.contracts.v1.SagaCompensated.newBuilder().build();
    } else if (event instanceof JournalEvent.SagaFailed e) {
      return io.sagastream.contracts.v1.SagaFailed.newBuilder()
          .setStep(e.step())
          .setErrorMessage(e.errorMessage())
          .build();
    }
    throw new IllegalArgumentException("No contract for journal event " + event.type());
  }

  private static SagaKind kind(CommandKind kind) {
    return kind == null ? null : SagaKind.valueOf(kind.name());
  }

  private static io.sagastream.contracts.v1.ReplyOutcome outcome(ReplyOutcome outcome) {
    return io.sagastream.contracts.v1.ReplyOutcome.valueOf(outcome.name());
  }
}
