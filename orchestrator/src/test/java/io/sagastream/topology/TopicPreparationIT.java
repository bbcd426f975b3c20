package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

@RealInfrastructure
class TopicPreparationIT {

  @Test
  void missingTopicsAreCreatedCoPartitionedWithCompactedDefinitions(KafkaCluster kafka)
      throws Exception {
    // given a fresh prefix
    SagaTopics topics = new SagaTopics(prefix(), 4, (short) 1);

    // when
    try (Admin admin = kafka.admin()) {
      TopicPreparation.prepare(admin, topics, true);

      // then
      var described = admin.describeTopics(topics.inputs()).allTopicNames().get();
      assertThat(described.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(4));
      var resource = new ConfigResource(ConfigResource.Type.TOPIC, topics.definitions());
      var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }
  }

  @Test
  void topicsWithDifferentPartitionCountsStopTheNodeNamingThem(KafkaCluster kafka) {
    // given requests and replies created by someone else with different partition counts
    SagaTopics topics = new SagaTopics(prefix(), 3, (short) 1);
    kafka.createTopic(topics.requests(), 3, 1, Map.of());
    kafka.createTopic(topics.replies(), 5, 1, Map.of());

    // then
    try (Admin admin = kafka.admin()) {
      assertThatThrownBy(() -> TopicPreparation.prepare(admin, topics, true))
          .isInstanceOf(TopicLayoutException.class)
          .hasMessageContaining(topics.requests() + " has 3")
          .hasMessageContaining(topics.replies() + " has 5")
          .hasMessageContaining("not co-partitioned");
    }
  }

  @Test
  void aMissingInputTopicIsCreatedWithTheExistingInputsCountNotTheConfiguredOne(KafkaCluster kafka)
      throws Exception {
    // given inputs of 5 partitions from an earlier version, without the rerouted topic, and a
    // node configured with 3
    SagaTopics topics = new SagaTopics(prefix(), 3, (short) 1);
    for (String input : List.of(topics.requests(), topics.replies(), topics.messages())) {
      kafka.createTopic(input, 5, 1, Map.of());
    }

    // when
    try (Admin admin = kafka.admin()) {
      int partitions = TopicPreparation.prepare(admin, topics, true);

      // then the rerouted topic joins them with 5, and the node starts
      assertThat(partitions).isEqualTo(5);
      var rerouted =
          admin.describeTopics(List.of(topics.rerouted())).allTopicNames().get().values();
      assertThat(rerouted).singleElement().satisfies(t -> assertThat(t.partitions()).hasSize(5));
    }
  }

  @Test
  void aDefinitionsTopicThatIsNotOnlyCompactedStopsTheNodeSayingSo(KafkaCluster kafka) {
    for (String policy : List.of("delete", "compact,delete")) {
      // given a definitions topic made by hand with a cleanup policy that deletes
      SagaTopics topics = new SagaTopics(prefix(), 1, (short) 1);
      kafka.createTopic(topics.definitions(), 1, 1, Map.of("cleanup.policy", policy));

      // then
      try (Admin admin = kafka.admin()) {
        assertThatThrownBy(() -> TopicPreparation.prepare(admin, topics, true))
            .as(policy)
            .isInstanceOf(TopicLayoutException.class)
            .hasMessageContaining(topics.definitions() + " has cleanup.policy=" + policy)
            .hasMessageContaining("must be compacted only");
      }
    }
  }

  @Test
  void withoutPermissionToCreateMissingTopicsAreNamed(KafkaCluster kafka) {
    SagaTopics topics = new SagaTopics(prefix(), 1, (short) 1);

    try (Admin admin = kafka.admin()) {
      assertThatThrownBy(() -> TopicPreparation.prepare(admin, topics, false))
          .isInstanceOf(TopicLayoutException.class)
          .hasMessageContaining(topics.requests())
          .hasMessageContaining(topics.deadLetters());
    }
  }

  private static String prefix() {
    return "p" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }
}
