package io.sagastream.testing;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * A cluster someone else runs, named by {@code KAFKA_BOOTSTRAP_SERVERS}; closing it does nothing.
 */
final class ExternalKafkaCluster implements KafkaCluster {

  private final String bootstrapServers;
  private final int brokerCount;

  ExternalKafkaCluster(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    this.brokerCount = countBrokers();
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public int brokerCount() {
    return brokerCount;
  }

  @Override
  public String describe() {
    return "external Kafka at " + bootstrapServers + " (" + brokerCount + " brokers)";
  }

  @Override
  public void close() {}

  private int countBrokers() {
    try (Admin admin = admin()) {
      return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
    } catch (Exception e) {
      throw new IllegalStateException(
          "KAFKA_BOOTSTRAP_SERVERS=" + bootstrapServers + " does not answer: " + e, e);
    }
  }
}
