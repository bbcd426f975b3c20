package io.sagastream.topology;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** How large the records a node writes may be, from its producer's settings. */
final class RecordSizes {

  private RecordSizes() {}

  /**
   * The bytes an instance may take: the producer's {@code max.request.size} (Kafka Streams' {@code
   * producer.} prefix first) less a sixteenth, room for a record's key, headers and batch overhead.
   * A command or journal event holds at most the instance's data, so it fits too.
   */
  static int largestInstanceBytes(Map<String, ?> streamsConfig) {
    Object configured = streamsConfig.get(StreamsConfig.producerPrefix(MAX_REQUEST_SIZE));
    if (configured == null) {
      configured = streamsConfig.get(MAX_REQUEST_SIZE);
    }
    int maxRequestSize =
        configured == null
            ? DEFAULT_MAX_REQUEST_SIZE
            : Integer.parseInt(configured.toString().trim());
    return maxRequestSize - maxRequestSize / 16;
  }

  /**
   * The bytes of an input's value a dead letter may copy: a larger one is left where it is, its
   * source named in the headers, since copying it with the dead-letter headers would make a record
   * the producer refuses, and the refusal would be dead-lettered again.
   */
  static int largestDeadLetterValueBytes(Map<String, ?> streamsConfig) {
    return largestInstanceBytes(streamsConfig);
  }

  private static final String MAX_REQUEST_SIZE = ProducerConfig.MAX_REQUEST_SIZE_CONFIG;

  /** The producer's own default. */
  private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
}
