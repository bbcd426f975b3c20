package io.sagastream.app;

import static io.sagastream.app.RunningNode.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.ScriptedParticipant;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes of one orchestrator: a call to either about any key is answered by the key's owner. */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodesApiIT {

  private final String prefix = "two" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private KafkaCluster kafka;
  private RunningNode first;
  private RunningNode second;
  private ScriptedParticipant participant;

  @BeforeAll
  void start(
      KafkaCluster kafka,
      SchemaRegistryServer registry,
      @TempDir Path firstState,
      @TempDir Path secondState) {
    this.kafka = kafka;
    kafka.createTopic(prefix + "work.commands", 2, 1, Map.of());
    // Both join at once, so the group's first assignment spreads the partitions over both.
    var startingSecond =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> RunningNode.start(kafka, registry, prefix, secondState));
    first = RunningNode.start(kafka, registry, prefix, firstState);
    second = startingSecond.join();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> answerers(first, 20).containsAll(Set.of(first.address(), second.address())));
    HttpResponse<String> deployed =
        first.post(
            "/definitions",
            """
            {"name": "work",
             "data": {"schema": {"type": "record", "name": "Job", "namespace": "jobs",
                                 "fields": [{"name": "id", "type": "string"}]}},
             "steps": [{"name": "do", "action": {"topic": "%swork.commands",
                        "schema": {"type": "record", "name": "Do", "namespace": "jobs",
                                   "fields": [{"name": "id", "type": "string"}]}}}]}"""
                .formatted(prefix));
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
    participant =
        ScriptedParticipant.start(
            kafka,
            prefix + "participant",
            List.of(prefix + "work.commands"),
            command -> Optional.of(SagaHeaders.OUTCOME_SUCCESS));
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (participant != null) {
      participant.close();
    }
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  @Test
  void eitherNodeAnswersForEveryKeyFromTheKeysOwner() {
    // given sagas on ten keys, started through the first node
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> started =
          first.post(
              "/sagas",
              "{\"definition\": \"work\", \"key\": \"job-%d\", \"data\": {\"id\": \"%d\"}}"
                  .formatted(i, i));
      assertThat(started.statusCode()).isEqualTo(202);
    }

    // then both nodes show every saga completed, and each key's answer comes from one node
    Set<String> answeredBy = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      String path = "/sagas/job-" + i + "/work";
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  first.get(path).statusCode() == 200
                      && json(first.get(path)).path("status").asText().equals("COMPLETED"));
      HttpResponse<String> viaFirst = first.get(path);
      HttpResponse<String> viaSecond = second.get(path);
      assertThat(json(viaSecond).path("status").asText()).isEqualTo("COMPLETED");
      String owner = viaFirst.headers().firstValue(Forwarder.ANSWERED_BY).orElseThrow();
      assertThat(viaSecond.headers().firstValue(Forwarder.ANSWERED_BY)).contains(owner);
      answeredBy.add(owner);
    }
    assertThat(answeredBy).containsExactlyInAnyOrder(first.address(), second.address());
  }

  private static Set<String> answerers(RunningNode node, int keys) {
    Set<String> answerers = new HashSet<>();
    for (int i = 0; i < keys; i++) {
      HttpResponse<String> response = node.get("/sagas/probe-" + i);
      System.out.println(
          "PROBE "
              + i
              + " "
              + response.statusCode()
              + " "
              + response.headers().map().get(Forwarder.ANSWERED_BY.toLowerCase())
              + " "
              + response.body());
      if (response.statusCode() == 200) {
        response.headers().firstValue(Forwarder.ANSWERED_BY).ifPresent(answerers::add);
      }
    }
    return answerers;
  }
}
