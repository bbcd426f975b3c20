package io.sagastream.contracts;

/**
 * Kafka header names (and their fixed values) that carry saga metadata beside a participant's own
 * Avro command or reply. Values are UTF-8 strings. A participant replies to {@link #REPLY_TO} with
 * the same record key, echoes {@link #SAGA_ID} and {@link #COMMAND_ID}, and sets {@link #OUTCOME}.
 */
public final class SagaHeaders {

  /** The saga instance the command belongs to. Set on commands, echoed on replies. */
  public static final String SAGA_ID = "saga-id";

  /** The saga definition's name. */
  public static final String SAGA_NAME = "saga-name";

  /** The step of the definition the command belongs to. */
  public static final String SAGA_STEP = "saga-step";

  /** {@link #KIND_ACTION} or {@link #KIND_COMPENSATION}. */
  public static final String SAGA_KIND = "saga-kind";

  /**
   * Unique per saga, step, kind and attempt: the participant's idempotency key. Echoed on replies.
   */
  public static final String COMMAND_ID = "command-id";

  /** The attempt number, from 1, as a decimal string. */
  public static final String ATTEMPT = "attempt";

  /** The topic the reply goes to. */
  public static final String REPLY_TO = "reply-to";

  /** When the orchestrator stops waiting for this attempt, ISO-8601 instant (UTC). */
  public static final String DEADLINE = "deadline";

  /** W3C trace context of the saga, so a participant's spans join the saga's trace. */
  public static final String TRACEPARENT = "traceparent";

  /**
   * On replies: {@link #OUTCOME_SUCCESS}, {@link #OUTCOME_FAILURE} or {@link
   * #OUTCOME_RETRYABLE_FAILURE}.
   */
  public static final String OUTCOME = "outcome";

  /** On failure replies, optional: a machine-readable code. */
  public static final String ERROR_CODE = "error-code";

  /** On failure replies, optional: a message for people. */
  public static final String ERROR_MESSAGE = "error-message";

  public static final String KIND_ACTION = "action";
  public static final String KIND_COMPENSATION = "compensation";

  public static final String OUTCOME_SUCCESS = "success";

  /** The command failed for good: do not retry, compensate. */
  public static final String OUTCOME_FAILURE = "failure";

  /** The command failed for now: retry with backoff. */
  public static final String OUTCOME_RETRYABLE_FAILURE = "retryable-failure";

  private SagaHeaders() {}
}
