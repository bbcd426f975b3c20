package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.topology.SagaTopics;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose topics are not there yet (it may not create them, and the job that does has not run)
 * stays up and not ready, says why, and starts once they are: no crash loop while a deployment's
 * parts come up in their own order.
 */
@RealInfrastructure
class NodeStartupIT {

  private static final int PARTITIONS = 2;
  private RunningNode node;

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aNodeWhoseTopicsAreMissingWaitsNotReadyAndStartsOnceTheyAreCreated(
      KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path state) {
    // given a node that may not create its topics, started before they exist
    String prefix = "start" + UUID.randomUUID().toString().substring(0, 6) + ".";
    SagaTopics topics = new SagaTopics(prefix, PARTITIONS, (short) 1);
    node =
        RunningNode.launch(
            kafka, registry, prefix, state, Map.of("sagastream.create-topics", false));

    // then it answers, alive and not ready, naming the topics it misses
    node.awaitNotReadySaying("Missing topics", topics.requests());
    assertThat(node.get("/health/liveness").statusCode()).isEqualTo(200);
    HttpResponse<String> saga = node.get("/sagas/k-1/orders");
    assertThat(saga.statusCode()).isEqualTo(503);
    assertThat(RunningNode.json(saga).path("message").asText())
        .startsWith("the node is not ready to answer: Missing topics");

    // when the topics are created, as a deployment's topics job would
    for (String name :
        List.of(
            topics.requests(),
            topics.replies(),
            topics.messages(),
            topics.events(),
            topics.deadLetters(),
            topics.rerouted())) {
      kafka.createTopic(name, PARTITIONS);
    }
    kafka.createTopic(topics.definitions(), 1, 1, Map.of("cleanup.policy", "compact"));

    // then the same node starts and turns ready
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(node.get("/health/readiness").statusCode()).isEqualTo(200));
  }
}
