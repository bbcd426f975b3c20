package io.sagastream.topology;

import io.sagastream.registry.SchemaRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * One orchestrator node: checks (and creates, when allowed) the topics, then runs the saga topology
 * with exactly-once processing. Extra Kafka Streams settings pass through unchanged.
 *
 * @param settings Kafka Streams configuration beyond the defaults here (security, tuning)
 */
public record OrchestratorNode(
    String applicationId,
    String bootstrapServers,
    Path stateDirectory,
    SagaTopics topics,
    boolean createTopics,
    TopologySettings topologySettings,
    Map<String, Object> settings) {

  /** Starts the node; the caller closes the returned streams. */
  public KafkaStreams start(SchemaRegistry registry, SagaMetrics metrics) {
    return start(registry, metrics, SagaTracing.NONE);
  }

  /** Starts the node, reporting step spans to {@code tracing}. */
  public KafkaStreams start(SchemaRegistry registry, SagaMetrics metrics, SagaTracing tracing) {
    SagaTopics actual;
    Map<String, Object> adminConfig = new HashMap<>(ClientSecurity.of(settings));
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(adminConfig)) {
      int partitions = TopicPreparation.prepare(admin, topics, createTopics);
      // Misrouted input is detected against the partition count the topics really have.
      actual = new SagaTopics(topics.prefix(), partitions, topics.replicationFactor());
    }
    KafkaStreams streams =
        new KafkaStreams(
            SagaTopology.build(actual, registry, topologySettings, metrics, tracing), properties());
    // A failed stream thread is replaced; its tasks resume from their last committed state.
    streams.setUncaughtExceptionHandler(
        exception -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD);
    streams.start();
    return streams;
  }

  /** Failures Kafka Streams reports to its handlers go to the dead-letter topic. */
  public static Map<String, Object> exceptionHandling(SagaTopics topics) {
    return Map.of(
        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
        topics.deadLetters(),
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProcessingExceptionHandler.class.getName(),
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterProductionExceptionHandler.class.getName());
  }

  Properties properties() {
    Map<String, Object> config = new HashMap<>();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topics.replicationFactor());
    config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    // Members learn of a rebalance at their next heartbeat: at the default 3 s, the survivors of a
    // failed node would take up to 3 s more to start taking its partitions over.
    config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 250);
    // A standby taking over reads its changelog to the end before it runs; with the default 500 ms
    // a fetch that finds nothing new waits that long before the task may start.
    config.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
    config.putAll(exceptionHandling(topics));
    config.putAll(settings);
    Properties properties = new Properties();
    properties.putAll(config);
    return properties;
  }
}
