package io.sagastream.contracts;

/** Kafka header names on business messages, which waiting sagas correlate with by record key. */
public final class MessageHeaders {

  /** The message name a receive step waits for; defaults to the value's full Avro record name. */
  public static final String MESSAGE_NAME = "message-name";

  /** Deduplicates: a message id seen before on the same key is delivered once. */
  public static final String MESSAGE_ID = "message-id";

  /**
   * Buffered messages for one key are delivered in this order (a decimal long), not arrival order.
   */
  public static final String SEQUENCE = "sequence";

  /**
   * How long a message may wait in the inbox for a saga to want it, ISO-8601 duration (PT1H), at
   * most {@link #LONGEST_TIME_TO_LIVE}.
   */
  public static final String TIME_TO_LIVE = "ttl";

  /** The longest time to live, so that a message's expiry stays a time in milliseconds. */
  public static final java.time.Duration LONGEST_TIME_TO_LIVE = java.time.Duration.ofDays(3650);

  private MessageHeaders() {}
}
