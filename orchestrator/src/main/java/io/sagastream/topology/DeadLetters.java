package io.sagastream.topology;

import io.sagastream.contracts.DeadLetterHeaders;
import io.sagastream.contracts.v1.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Dead letters for failures Kafka Streams reports to its exception handlers: the input record's
 * original bytes, with the reason and source in the dead-letter headers.
 */
final class DeadLetters {

  private DeadLetters() {}

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
        new RecordHeaders(
            context.headers() == null
                ? new RecordHeaders().toArray()
                : context.headers().toArray());
    put(headers, DeadLetterHeaders.REASON, reason.name());
    put(headers, DeadLetterHeaders.MESSAGE, String.valueOf(exception.getMessage()));
    put(headers, DeadLetterHeaders.SOURCE_TOPIC, String.valueOf(context.topic()));
    put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(context.partition()));
    put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(context.offset()));
    put(headers, DeadLetterHeaders.ERROR_CLASS, exception.getClass().getName());
    put(headers, DeadLetterHeaders.FAILED_AT, Instant.now().toString());
    return new ProducerRecord<>(
        topic,
        null,
        context.sourceRawKey(),
        copied(context.sourceRawValue(), headers, largestValueBytes),
        headers);
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

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
