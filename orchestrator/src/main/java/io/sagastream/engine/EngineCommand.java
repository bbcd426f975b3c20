package io.sagastream.engine;

import java.time.Instant;

/** What the engine is asked to decide on. Imperative names: each asks for something to happen. */
public sealed interface EngineCommand {

  /** The command's name, as the transition table shows it. */
  default String type() {
    return getClass().getSimpleName();
  }

  /** Start an instance; {@code sagaId} is derived by the caller from the request, not drawn. */
  record StartSaga(
      String sagaId,
      String sagaKey,
      String requestId,
      String requestedBy,
      SagaData data,
      String traceParent)
      implements EngineCommand {

    /** A start outside any trace. */
    public StartSaga(
        String sagaId, String sagaKey, String requestId, String requestedBy, SagaData data) {
      this(sagaId, sagaKey, requestId, requestedBy, data, null);
    }
  }

  /**
   * Take in a participant's reply. {@code mergedData} is the saga data with the reply's fields
   * merged in (the codec's work), used only when the reply is a success the instance waits for.
   */
  record HandleReply(
      String commandId,
      ReplyOutcome outcome,
      String errorCode,
      String errorMessage,
      SagaData mergedData)
      implements EngineCommand {}

  /**
   * Deliver a business message to the instance waiting for it; {@code mergedData} is the saga data
   * with the message's fields merged in.
   */
  record DeliverMessage(String messageName, String messageId, SagaData mergedData)
      implements EngineCommand {}

  /** Act on a timer that came due. */
  record FireTimer(Timer timer) implements EngineCommand {}

  /** Cancel the saga: undo what it did. */
  record CancelSaga(String requestedBy, String reason) implements EngineCommand {}

  /** Resolve the instance's incident. */
  /**
   * @param incidentRaisedAt when the incident meant was raised, or null for whichever the saga has
   */
  record ResolveIncident(
      IncidentResolution resolution, String resolvedBy, String comment, Instant incidentRaisedAt)
      implements EngineCommand {

    public ResolveIncident(IncidentResolution resolution, String resolvedBy, String comment) {
      this(resolution, resolvedBy, comment, null);
    }
  }

  /**
   * Send the awaited command again with the same id (or the pending retry now): the recovery scan
   * asks for it when an instance made no progress for too long.
   */
  record Redrive() implements EngineCommand {}
}
