package io.sagastream.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** One Apache Kafka broker in a container, for machines with a Docker engine that ask for it. */
final class ContainerKafkaCluster implements KafkaCluster {

  static final String IMAGE = "apache/kafka:4.1.1";

  private final KafkaContainer container;

  private ContainerKafkaCluster(KafkaContainer container) {
    this.container = container;
  }

  static ContainerKafkaCluster start() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException(
          TestInfrastructure.KAFKA_MODE
              + "=testcontainers, but no Docker engine answers on this machine;"
              + " unset it to use the embedded broker");
    }
    KafkaContainer container = new KafkaContainer(IMAGE);
    container.start();
    return new ContainerKafkaCluster(container);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public int brokerCount() {
    return 1;
  }

  @Override
  public String describe() {
    return "Kafka in a container (" + IMAGE + ") at " + bootstrapServers();
  }

  @Override
  public void close() {
    container.stop();
  }
}
