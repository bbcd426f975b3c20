package io.sagastream.testing;

import java.util.Locale;

/**
 * Chooses the real Kafka and registry a test run uses. Kafka: the cluster in {@code
 * KAFKA_BOOTSTRAP_SERVERS} if set, else embedded brokers in this JVM; {@code
 * SAGASTREAM_TEST_KAFKA=testcontainers} asks for a container instead. Registry: {@code
 * SCHEMA_REGISTRY_URL} if set, else Apicurio Registry as a child process. A part that cannot start
 * fails the test with the reason; nothing is skipped.
 */
public final class TestInfrastructure {

  public static final String KAFKA_MODE = "SAGASTREAM_TEST_KAFKA";
  public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";

  private TestInfrastructure() {}

  /** Starts (or connects to) a cluster with at least {@code brokers} brokers. */
  public static KafkaCluster startKafka(int brokers) {
    String external = setting(KAFKA_BOOTSTRAP_SERVERS);
    KafkaCluster cluster =
        switch (kafkaMode()) {
          case "embedded" -> startEmbedded(brokers);
          case "external" -> {
            if (external == null) {
              throw new IllegalStateException(
                  KAFKA_MODE + "=external needs " + KAFKA_BOOTSTRAP_SERVERS + " to be set");
            }
            yield new ExternalKafkaCluster(external);
          }
          case "testcontainers" -> ContainerKafkaCluster.start();
          default ->
              throw new IllegalStateException(
                  KAFKA_MODE
                      + "="
                      + kafkaMode()
                      + " is not one of embedded, external, testcontainers");
        };
    if (cluster.brokerCount() < brokers) {
      cluster.close();
      throw new IllegalStateException(
          "The test needs "
              + brokers
              + " brokers and "
              + cluster.describe()
              + " has fewer; use the embedded cluster ("
              + KAFKA_MODE
              + "=embedded)");
    }
    return cluster;
  }

  /** {@code embedded}, {@code external} or {@code testcontainers}, from the environment. */
  public static String kafkaMode() {
    String mode = setting(KAFKA_MODE);
    if (mode == null) {
      return setting(KAFKA_BOOTSTRAP_SERVERS) != null ? "external" : "embedded";
    }
    return mode.toLowerCase(Locale.ROOT);
  }

  /** Starts an embedded cluster whatever the environment says, for tests that stop brokers. */
  public static EmbeddedKafkaCluster startEmbedded(int brokers) {
    return brokers == 1
        ? EmbeddedKafkaCluster.singleNode()
        : EmbeddedKafkaCluster.start(brokers, 1, false);
  }

  /** Connects to {@code SCHEMA_REGISTRY_URL}, or starts Apicurio Registry. */
  public static SchemaRegistryServer startRegistry() {
    String external = setting(SCHEMA_REGISTRY_URL);
    return external != null
        ? new ExternalSchemaRegistry(external)
        : ApicurioRegistryProcess.start();
  }

  private static String setting(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      value = System.getProperty(name);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }
}
