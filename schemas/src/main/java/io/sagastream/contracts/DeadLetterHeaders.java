package io.sagastream.contracts;

/**
 * Kafka header names on dead letters: the original key and value bytes are kept as they were, and
 * these headers say why the record could not be processed and where it came from. The typed view of
 * the same facts is {@link io.sagastream.contracts.v1.DeadLetterMetadata}. The original record's
 * headers are kept too.
 */
public final class DeadLetterHeaders {

  /** A {@link io.sagastream.contracts.v1.DeadLetterReason} symbol. */
  public static final String REASON = "dlq-reason";

  /** What was wrong, in words an operator can act on. */
  public static final String MESSAGE = "dlq-message";

  public static final String SOURCE_TOPIC = "dlq-source-topic";

  /** Decimal partition number. */
  public static final String SOURCE_PARTITION = "dlq-source-partition";

  /** Decimal offset. */
  public static final String SOURCE_OFFSET = "dlq-source-offset";

  /** The Java exception class, where an exception was the cause. */
  public static final String ERROR_CLASS = "dlq-error-class";

  /** ISO-8601 instant (UTC). */
  public static final String FAILED_AT = "dlq-failed-at";

  /**
   * Decimal bytes of the original value, when it was too large to copy into the dead letter, whose
   * value is then null: the original stays at the source topic, partition and offset.
   */
  public static final String VALUE_OMITTED = "dlq-value-omitted";

  private DeadLetterHeaders() {}
}
