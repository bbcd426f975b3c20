package io.sagastream.testing;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** A real Kafka cluster for tests: embedded in this JVM, external, or in a container. */
public interface KafkaCluster extends AutoCloseable {

  /** The bootstrap servers clients connect to. */
  String bootstrapServers();

  /** How many brokers the cluster has, which bounds the replication factor of new topics. */
  int brokerCount();

  /** A short description for logs and failure messages. */
  String describe();

  /** An admin client for this cluster; the caller closes it. */
  default Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /**
   * Creates a topic (replication factor: all brokers, up to 3) and waits until it exists. A topic
   * that exists already is left as it is.
   */
  default void createTopic(String name, int partitions) {
    createTopic(name, partitions, Math.min(brokerCount(), 3), Map.of());
  }

  default void createTopic(
      String name, int partitions, int replicationFactor, Map<String, String> configs) {
    try (Admin admin = admin()) {
      admin
          .createTopics(
              java.util.List.of(
                  new NewTopic(name, partitions, (short) replicationFactor).configs(configs)))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create topic " + name + " on " + describe(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Topic " + name + " not created within 60 s on " + describe(), e);
    }
  }

  @Override
  void close();
}
