package io.sagastream.app;

import static io.sagastream.app.RunningNode.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
  private final AtomicBoolean running = new AtomicBoolean(true);
  private KafkaCluster kafka;
  private RunningNode first;
  private RunningNode second;
  private Thread participant;

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
    participant = new Thread(this::serve, "participant");
    participant.start();
  }

  @AfterAll
  void stop() throws InterruptedException {
    running.set(false);
    if (participant != null) {
      participant.join(10_000);
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

  private void serve() {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            prefix + "participant",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (var consumer =
            new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        var producer =
            new KafkaProducer<>(
                Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      consumer.subscribe(List.of(prefix + "work.commands"));
      while (running.get()) {
        for (var command : consumer.poll(Duration.ofMillis(200))) {
          RecordHeaders headers = new RecordHeaders();
          headers.add(
              SagaHeaders.SAGA_ID, command.headers().lastHeader(SagaHeaders.SAGA_ID).value());
          headers.add(
              SagaHeaders.COMMAND_ID, command.headers().lastHeader(SagaHeaders.COMMAND_ID).value());
          headers.add(
              SagaHeaders.OUTCOME, SagaHeaders.OUTCOME_SUCCESS.getBytes(StandardCharsets.UTF_8));
          String replyTo =
              new String(
                  command.headers().lastHeader(SagaHeaders.REPLY_TO).value(),
                  StandardCharsets.UTF_8);
          producer.send(new ProducerRecord<>(replyTo, null, command.key(), null, headers));
        }
      }
    }
  }
}
