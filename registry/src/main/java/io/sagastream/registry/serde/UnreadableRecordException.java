package io.sagastream.registry.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that cannot be read as an Avro record in the Confluent wire format. It is a Kafka {@link
 * SerializationException}, so Kafka clients and Kafka Streams' deserialization handlers see it for
 * what it is: bad input, to be set aside (dead letters), never retried.
 */
public class UnreadableRecordException extends SerializationException {

  private static final long serialVersionUID = 1L;

  /** What was wrong with the bytes. */
  public enum Reason {
    /** Zero bytes (a null value is a tombstone and reads as null instead). */
    EMPTY,
    /** Fewer than the five bytes of the wire-format header. */
    TRUNCATED_HEADER,
    /** The first byte is not the wire format's magic byte 0. */
    UNKNOWN_MAGIC_BYTE,
    /** The registry has no schema with the id in the header. */
    UNKNOWN_SCHEMA_ID,
    /** The Avro body is cut short or does not match its writer schema. */
    CORRUPT_BODY,
    /** The writer schema cannot be resolved to the reader schema. */
    INCOMPATIBLE_SCHEMA
  }

  private final Reason reason;
  private final String topic;
  private final int schemaId;

  public UnreadableRecordException(
      Reason reason, String topic, int schemaId, String detail, Throwable cause) {
    super(
        "Unreadable record on topic '"
            + topic
            + "' ("
            + reason
            + (schemaId >= 0 ? ", schema id " + schemaId : "")
            + "): "
            + detail,
        cause);
    this.reason = reason;
    this.topic = topic;
    this.schemaId = schemaId;
  }

  public Reason reason() {
    return reason;
  }

  public String topic() {
    return topic;
  }

  /** The schema id from the header, or -1 where the header itself was unreadable. */
  public int schemaId() {
    return schemaId;
  }
}
