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
  static int largestInstanceBytes(Map<String, Object> streamsConfig) {
    Object configured =
        streamsConfig.getOrDefault(
            StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
            streamsConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    int maxRequestSize =
        configured == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(configured.toString());
    return maxRequestSize - maxRequestSize / 16;
  }

  /** The producer's own default. */
  private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
}
