package io.sagastream.topology;

import java.time.Instant;

/**
 * Spans of a saga's steps. The topology reports each step attempt once its reply is in; the service
 * turns it into a span when tracing is on. Nothing happens unless overridden.
 */
public interface SagaTracing {

  /** Whether spans go anywhere; when not, the topology does not build them. */
  default boolean enabled() {
    return this != NONE;
  }

  /**
   * A step's command, sent at {@code sentAt} under {@code commandTraceparent} (whose span id is the
   * step span's own) inside the saga's {@code sagaTraceparent}, was answered at {@code repliedAt}.
   */
  default void stepReplied(StepSpan span) {}

  /**
   * A saga ended: its span runs from start to end, under the caller's span when it was started in a
   * trace.
   */
  default void sagaEnded(SagaSpan span) {}

  /** What a saga span records. */
  record SagaSpan(
      String sagaTraceparent,
      java.util.Optional<String> callerSpanId,
      String sagaId,
      String sagaKey,
      String definition,
      int version,
      String status,
      Instant startedAt,
      Instant endedAt) {}

  /** What a step span records. */
  record StepSpan(
      String sagaTraceparent,
      String commandTraceparent,
      String sagaId,
      String definition,
      String step,
      String kind,
      int attempt,
      String commandId,
      String outcome,
      Instant sentAt,
      Instant repliedAt) {}

  SagaTracing NONE = new SagaTracing() {};
}
