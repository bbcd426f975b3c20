package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.LoopbackRelay;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.topology.SagaTopics;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The definitions API of a running node, against the real broker and registry. */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefinitionsApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCUMENT =
      """
      {"name": "%s",
       "data": {"schema": {"type": "record", "name": "OrderData", "namespace": "shop",
                           "fields": [{"name": "orderId", "type": "string"}]}},
       "steps": [{"name": "reserve",
                  "action": {"topic": "inventory.commands",
                             "schema": {"type": "record", "name": "Reserve", "namespace": "inventory",
                                        "fields": [{"name": "orderId", "type": "string"}]}}}]}""";

  private final String prefix = "api" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private RunningNode node;
  private LoopbackRelay registryRelay;
  private KafkaCluster kafka;

  @BeforeAll
  void startNode(KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path state) {
    this.kafka = kafka;
    registryRelay = LoopbackRelay.start(registry.url());
    node =
        RunningNode.start(
            kafka,
            registry,
            prefix,
            state,
            Map.of("sagastream.schema-registry-url", registryRelay.url()));
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
    if (registryRelay != null) {
      registryRelay.close();
    }
  }

  @Test
  void aDeployWhileTheRegistryCannotAnswerIsA503SayingSoAndSucceedsOnceItIsBack() throws Exception {
    // given a registry that has gone away
    registryRelay.goDown();
    HttpResponse<String> refused;
    try {
      // when a definition is deployed
      refused = post("/definitions", DOCUMENT.formatted("deployed-while-down"));
    } finally {
      registryRelay.comeBack();
    }

    // then the answer says the registry is at fault, not the definition
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(json(refused).path("message").asText())
        .contains("the schema registry cannot answer the node");
    // and the same deploy succeeds once the registry is back
    assertThat(post("/definitions", DOCUMENT.formatted("deployed-while-down")).statusCode())
        .isEqualTo(201);
  }

  @Test
  void aDeployKafkaDoesNotTakeIsA503SayingSoAndSucceedsOnceItDoes() throws Exception {
    // given a definitions topic that takes no record as large as a definition
    String topic = new SagaTopics(prefix, 1, (short) 1).definitions();
    HttpResponse<String> refused;
    setMaxMessageBytes(topic, "64");
    try {
      // when a definition is deployed
      refused = post("/definitions", DOCUMENT.formatted("refused-by-kafka"));
    } finally {
      setMaxMessageBytes(topic, null);
    }

    // then the answer says Kafka did not take it, and nothing was deployed
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(json(refused).path("message").asText()).contains("Kafka did not take the write");
    assertThat(get("/definitions/refused-by-kafka").statusCode()).isEqualTo(404);
    // and the same deploy succeeds once the topic takes it
    assertThat(post("/definitions", DOCUMENT.formatted("refused-by-kafka")).statusCode())
        .isEqualTo(201);
  }

  private void setMaxMessageBytes(String topic, String value) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    AlterConfigOp operation =
        new AlterConfigOp(
            new ConfigEntry("max.message.bytes", value),
            value == null ? AlterConfigOp.OpType.DELETE : AlterConfigOp.OpType.SET);
    try (var admin = kafka.admin()) {
      admin.incrementalAlterConfigs(Map.of(resource, List.of(operation))).all().get();
    }
  }

  @Test
  void aDefinitionIsDeployedAsItsNextVersionAndCanBeReadBack() throws Exception {
    // given
    String name = "orders-" + UUID.randomUUID().toString().substring(0, 6);

    // when it is deployed twice
    HttpResponse<String> first = post("/definitions", DOCUMENT.formatted(name));
    HttpResponse<String> second = post("/definitions", DOCUMENT.formatted(name));

    // then each deploy is a new version, and the latest and every version can be read
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(json(first).path("version").asInt()).isEqualTo(1);
    assertThat(json(second).path("version").asInt()).isEqualTo(2);
    assertThat(json(get("/definitions/" + name)).path("version").asInt()).isEqualTo(2);
    assertThat(json(get("/definitions/" + name + "/1")).path("steps").get(0).asText())
        .isEqualTo("reserve");
    assertThat(get("/definitions").body()).contains(name);
  }

  @Test
  void deploysOfOneNameAtOnceGetVersionsOfTheirOwn() throws Exception {
    // given one name, and four documents for it
    String name = "parallel-" + UUID.randomUUID().toString().substring(0, 6);

    // when they are deployed all at once, from four threads let go together
    ExecutorService callers = Executors.newFixedThreadPool(4);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<HttpResponse<String>>> deploys = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      deploys.add(
          CompletableFuture.supplyAsync(
              () -> {
                awaitQuietly(go);
                return post("/definitions", DOCUMENT.formatted(name));
              },
              callers));
    }
    go.countDown();

    // then each got a version no other got, and every version holds a definition
    Set<Integer> versions = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> deploy : deploys) {
      HttpResponse<String> answer = deploy.get(60, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
      versions.add(json(answer).path("version").asInt());
    }
    assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4);
    callers.shutdown();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aDefinitionThatDoesNotFitIsRefusedWith400NamingTheField() throws Exception {
    String wrong =
        DOCUMENT
            .formatted("bad")
            .replace(
                "\"orderId\", \"type\": \"string\"}]}}}]", "\"sku\", \"type\": \"string\"}]}}}]");

    HttpResponse<String> response = post("/definitions", wrong);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("path").asText()).isEqualTo("steps[0].action.schema");
    assertThat(json(response).path("message").asText()).contains("sku");
  }

  @Test
  void unreadableJsonAndUnknownNamesGetAClearMessage() throws Exception {
    HttpResponse<String> garbage = post("/definitions", "{\"name\": ");
    HttpResponse<String> unknown = get("/definitions/nothing-like-this");
    HttpResponse<String> unknownVersion = get("/definitions/nothing-like-this/3");

    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(json(garbage).path("message").asText()).contains("not a readable JSON document");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).path("message").asText()).contains("nothing-like-this");
    assertThat(unknownVersion.statusCode()).isEqualTo(404);
  }

  @Test
  void theNodeIsAliveAndReadyOnceItsStreamsRunAndTheRegistryAnswered() throws Exception {
    // when the probes are asked
    HttpResponse<String> health = get("/health");
    HttpResponse<String> readiness = get("/health/readiness");
    HttpResponse<String> liveness = get("/health/liveness");

    // then the node is up, and readiness says why: streams running, registry answered
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
    JsonNode ready = json(readiness).path("details");
    assertThat(ready.path("kafkaStreams").path("details").path("state").asText())
        .isEqualTo("RUNNING");
    assertThat(ready.path("schemaRegistry").path("details").path("answered").asBoolean()).isTrue();
    assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
    assertThat(json(liveness).path("details").has("kafkaStreamsAlive")).isTrue();
    assertThat(json(liveness).path("details").has("schemaRegistry")).isFalse();
  }

  private HttpResponse<String> post(String path, String body) {
    return node.post(path, body);
  }

  private HttpResponse<String> get(String path) {
    return node.get(path);
  }

  private static JsonNode json(HttpResponse<String> response) {
    return RunningNode.json(response);
  }
}
