package io.sagastream.topology;

import io.sagastream.contracts.DeadLetterHeaders;
import io.sagastream.contracts.v1.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Dead letters for failures Kafka Streams reports to its exception handlers: the input record's
 * original bytes, with the reason and source in the dead-letter headers.
 */
final class DeadLetters {

  /**
   * The {@link SagaMetrics} the exception handlers count their dead letters in, passed to them
   * through their configuration, since Kafka Streams makes them from a class name.
   */
  static final String METRICS_CONFIG = "sagastream.dead-letters.metrics";

  private DeadLetters() {}

  static SagaMetrics metrics(Map<String, ?> configs) {
    return configs.get(METRICS_CONFIG) instanceof SagaMetrics metrics ? metrics : SagaMetrics.NONE;
  }

  static String topic(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (topic == null) {
      throw new IllegalArgumentException(
          StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
              + " must name the dead-letter topic");
    }
    return topic.toString();
  }

  static ProducerRecord<byte[], byte[]> of(
      String topic,
      ErrorHandlerContext context,
      DeadLetterReason reason,
      Exception exception,
      int largestValueBytes) {
    Headers headers =
        headers(
            context.headers(),
            reason,
            String.valueOf(exception.getMessage()),
            new Source(String.valueOf(context.topic()), context.partition(), context.offset()),
            exception,
            Instant.now());
    return new ProducerRecord<>(
        topic,
        null,
        context.sourceRawKey(),
        copied(context.sourceRawValue(), headers, largestValueBytes),
        headers);
  }

  /**
   * Where the dead letter's record was read; partition and offset null for a message the inbox
   * kept, whose offset is no longer known.
   */
  record Source(String topic, Integer partition, Long offset) {}

  /**
   * The record's own headers with the dead letter's set over them. A header of an earlier dead
   * letter (a record re-sent from the dead-letter topic) is replaced, never left beside the new
   * one, and a source position not known now is removed rather than left from that earlier one.
   */
  static Headers headers(
      Headers original,
      DeadLetterReason reason,
      String message,
      Source source,
      Exception cause,
      Instant failedAt) {
    Headers headers = new RecordHeaders(original == null ? new Header[0] : original.toArray());
    put(headers, DeadLetterHeaders.REASON, reason.name());
    put(headers, DeadLetterHeaders.MESSAGE, message == null ? reason.name() : message);
    put(headers, DeadLetterHeaders.SOURCE_TOPIC, source.topic());
    put(headers, DeadLetterHeaders.SOURCE_PARTITION, source.partition());
    put(headers, DeadLetterHeaders.SOURCE_OFFSET, source.offset());
    put(headers, DeadLetterHeaders.ERROR_CLASS, cause.getClass().getName());
    put(headers, DeadLetterHeaders.FAILED_AT, failedAt.toString());
    headers.remove(DeadLetterHeaders.VALUE_OMITTED);
    return headers;
  }

  /**
   * {@code value}, or null with its size in {@link DeadLetterHeaders#VALUE_OMITTED} when it is
   * larger than a dead letter may copy.
   */
  static byte[] copied(byte[] value, Headers headers, int largestValueBytes) {
    if (value == null || value.length <= largestValueBytes) {
      return value;
    }
    put(headers, DeadLetterHeaders.VALUE_OMITTED, Integer.toString(value.length));
    return null;
  }

  private static void put(Headers headers, String name, Object value) {
    headers.remove(name);
    if (value != null) {
      headers.add(name, value.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
