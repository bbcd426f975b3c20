package io.sagastream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@RealInfrastructure
class EmbeddedKafkaClusterIT {

  @Test
  void aRecordProducedIsConsumedFromTheSharedCluster(KafkaCluster kafka) {
    // given
    String topic = "round-trip-" + UUID.randomUUID();
    kafka.createTopic(topic, 3);

    // when
    send(kafka, topic, "order-1", "placed");

    // then
    assertThat(readAll(kafka, topic, 1))
        .extracting(ConsumerRecord::value)
        .containsExactly("placed");
  }

  @Test
  void everyListenerOfTheEmbeddedBrokerIsBoundToLoopbackOnly(EmbeddedKafkaCluster kafka)
      throws Exception {
    // given the broker's port
    int port = Integer.parseInt(kafka.bootstrapServers().split(",")[0].split(":")[1]);

    // when the machine's listening sockets are read
    List<String> addresses = ListeningSockets.addressesListeningOn(port);

    // then the port listens, and on loopback only
    assertThat(addresses).isNotEmpty().allMatch(ListeningSockets::isLoopback);
  }

  @Test
  void threeBrokersKeepAcceptingWritesWhenOneStops(@Brokers(3) EmbeddedKafkaCluster kafka)
      throws Exception {
    // given a topic replicated to all three brokers, needing two in sync
    String topic = "replicated-" + UUID.randomUUID();
    kafka.createTopic(topic, 3, 3, Map.of("min.insync.replicas", "2"));
    try (var admin = kafka.admin()) {
      var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
    }
    int stopped = kafka.brokerIds().iterator().next();

    // when one broker stops
    kafka.stopBroker(stopped);
    try {
      // then writes that need all in-sync replicas still succeed, and are read back
      for (int i = 0; i < 10; i++) {
        send(kafka, topic, "order-" + i, "placed-" + i);
      }
      assertThat(readAll(kafka, topic, 10)).hasSize(10);
    } finally {
      kafka.startBroker(stopped);
    }
  }

  private static void send(KafkaCluster kafka, String topic, String key, String value) {
    TopicIo.produce(
        kafka,
        new StringSerializer(),
        new StringSerializer(),
        List.of(new ProducerRecord<>(topic, key, value)));
  }

  private static List<ConsumerRecord<String, String>> readAll(
      KafkaCluster kafka, String topic, int expected) {
    return TopicIo.consume(
        kafka, topic, expected, new StringDeserializer(), new StringDeserializer());
  }
}
