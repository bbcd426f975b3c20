package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class OrchestratorNodeSettingsTest {

  @Test
  void aNodeRunsWithTheFailoverDefaultsWhenNothingElseIsSaid() {
    // given a node with no settings of its own
    OrchestratorNode node = node(Map.of());

    // when
    Properties properties = node.properties();

    // then survivors keep their tasks, rejoin soon, and retry refused writes soon
    assertThat(properties)
        .containsEntry(
            StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG, CaughtUpTaskAssignor.class.getName())
        .containsEntry("main.consumer.max.poll.records", 200)
        .containsEntry("main.consumer.heartbeat.interval.ms", 250)
        .containsEntry("producer.retry.backoff.ms", 20)
        .containsEntry("producer.retry.backoff.max.ms", 200)
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
  }

  @Test
  void settingsGivenToTheNodeWinOverItsDefaults() {
    // given a node told to use another assignor and Kafka's own retry backoff
    OrchestratorNode node =
        node(
            Map.of(
                StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG,
                "com.example.Assignor",
                "producer.retry.backoff.ms",
                100));

    // when
    Properties properties = node.properties();

    // then
    assertThat(properties)
        .containsEntry(StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG, "com.example.Assignor")
        .containsEntry("producer.retry.backoff.ms", 100);
  }

  @Test
  void aNodeRunsTwoStreamThreadsUnlessItCountsOneCoreOrIsToldOtherwise() {
    // given the cores a JVM may count
    // when the default is taken
    // then two threads, or one on a single core
    assertThat(OrchestratorNode.defaultStreamThreads(1)).isEqualTo(1);
    assertThat(OrchestratorNode.defaultStreamThreads(2)).isEqualTo(2);
    assertThat(OrchestratorNode.defaultStreamThreads(64)).isEqualTo(2);

    // and a node told how many runs that many
    assertThat(node(Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 4)).properties())
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 4);
  }

  private static OrchestratorNode node(Map<String, Object> settings) {
    return new OrchestratorNode(
        "app",
        "127.0.0.1:9092",
        Path.of("state"),
        new SagaTopics("", 6, (short) 1),
        false,
        TopologySettings.defaults(),
        settings);
  }
}
