package io.sagastream.registry.serde;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * Which registry subject a record's schema belongs to, the three ways Confluent's clients name
 * them.
 */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} / {@code <topic>-value}: one schema lineage per topic (the default). */
  TOPIC,
  /** The record's full name: one lineage per record type, across topics. */
  RECORD,
  /** {@code <topic>-<full name>}: several record types on one topic, each with its own lineage. */
  TOPIC_RECORD;

  public String subject(String topic, boolean isKey, Schema schema) {
    return switch (this) {
      case TOPIC -> topic + (isKey ? "-key" : "-value");
      case RECORD -> recordName(schema);
      case TOPIC_RECORD -> topic + "-" + recordName(schema);
    };
  }

  /**
   * Reads a strategy from configuration: {@code topic}, {@code record}, {@code topic-record}, or
   * the class names Confluent's clients use ({@code ...TopicNameStrategy}, {@code
   * ...RecordNameStrategy}, {@code ...TopicRecordNameStrategy}).
   */
  public static SubjectNameStrategy parse(String text) {
    String simple = text.substring(text.lastIndexOf('.') + 1).trim();
    return switch (simple.toLowerCase(Locale.ROOT).replace("_", "-")) {
      case "topic", "topicnamestrategy" -> TOPIC;
      case "record", "recordnamestrategy" -> RECORD;
      case "topic-record", "topicrecordnamestrategy" -> TOPIC_RECORD;
      default ->
          throw new IllegalArgumentException(
              "Unknown subject name strategy '" + text + "': use topic, record or topic-record");
    };
  }

  private static String recordName(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(
          "The record and topic-record subject name strategies need a record schema, not "
              + schema.getType());
    }
    return schema.getFullName();
  }
}
