package io.sagastream.app;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How the node's own Kafka clients (the API's producer, the failover admin) reach the cluster: the
 * bootstrap servers, and the security settings Kafka Streams is given ({@code security.protocol},
 * {@code sasl.*}, {@code ssl.*} under {@code kafka.streams.default}).
 */
record KafkaClients(String bootstrapServers, Map<String, Object> security) {

  KafkaClients {
    security = Map.copyOf(security);
  }

  /** The settings every client starts from. */
  Map<String, Object> common() {
    Map<String, Object> config = new HashMap<>(security);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  @Override
  public String toString() {
    // sasl.jaas.config and ssl.*.password hold secrets: names only.
    return "KafkaClients[" + bootstrapServers + ", security settings " + security.keySet() + "]";
  }
}
