package io.sagastream.topology;

import io.sagastream.registry.SchemaRegistry;
import io.sagastream.testing.KafkaCluster;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/** One orchestrator node with the default settings, started as the product starts one. */
final class DefaultNode {

  private DefaultNode() {}

  /** Starts the node once its topics are prepared (it creates them); the caller closes it. */
  static KafkaStreams start(
      String applicationId,
      KafkaCluster kafka,
      Path state,
      SagaTopics topics,
      SchemaRegistry registry) {
    return start(applicationId, kafka, state, topics, registry, Map.of());
  }

  /** The same, with Kafka Streams settings over the node's own, as a deployment gives them. */
  static KafkaStreams start(
      String applicationId,
      KafkaCluster kafka,
      Path state,
      SagaTopics topics,
      SchemaRegistry registry,
      Map<String, Object> settings) {
    OrchestratorNode node =
        new OrchestratorNode(
            applicationId,
            kafka.bootstrapServers(),
            state,
            topics,
            true,
            TopologySettings.defaults(),
            settings);
    return node.startWhenTopicsReady(registry, SagaMetrics.NONE, SagaTracing.NONE, node.access())
        .streams();
  }
}
