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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of one orchestrator, static members of their group: a call to either about any key is
 * answered by the key's owner, lists span both nodes, and while a node is away its keys are
 * answered from the other's standby, marked stale.
 */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesApiIT {

  /** One step on {@code <prefix>work.commands}; format with the topic prefix. */
  static final String WORK_DEFINITION =
      """
      {"name": "work",
       "data": {"schema": {"type": "record", "name": "Job", "namespace": "jobs",
                           "fields": [{"name": "id", "type": "string"}]}},
       "steps": [{"name": "do", "action": {"topic": "%swork.commands",
                  "schema": {"type": "record", "name": "Do", "namespace": "jobs",
                             "fields": [{"name": "id", "type": "string"}]}}}]}""";

  private final String prefix = "two" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private KafkaCluster kafka;
  private RunningNode first;
  private RunningNode second;
  private String secondAddress;
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
            () -> RunningNode.start(kafka, registry, prefix, secondState, staticMember("second")));
    first = RunningNode.start(kafka, registry, prefix, firstState, staticMember("first"));
    second = startingSecond.join();
    secondAddress = second.address();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> answerers(first, 20).containsAll(Set.of(first.address(), second.address())));
    HttpResponse<String> deployed = first.post("/definitions", WORK_DEFINITION.formatted(prefix));
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

  /**
   * Static membership that stays in the group on shutdown, with a session long enough for the stale
   * test to run inside it.
   */
  private static Map<String, Object> staticMember(String id) {
    return Map.of(
        "sagastream.group-instance-id",
        id,
        "sagastream.hand-off-on-shutdown",
        false,
        "kafka.streams.default.session.timeout.ms",
        60_000);
  }

  @Test
  @Order(1)
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
      assertThat(json(viaSecond).path("stale").asBoolean()).isFalse();
      String owner = viaFirst.headers().firstValue(Forwarder.ANSWERED_BY).orElseThrow();
      assertThat(viaSecond.headers().firstValue(Forwarder.ANSWERED_BY)).contains(owner);
      answeredBy.add(owner);
    }
    assertThat(answeredBy).containsExactlyInAnyOrder(first.address(), second.address());
  }

  @Test
  @Order(2)
  void aListSpansBothNodesAndPagesWithoutRepeatsOrGaps() {
    // given the ten sagas of the first test, on keys owned by both nodes
    // (a page missing a partition for a moment, while the group settles, is asked again)
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(AssertionError.class)
        .until(() -> listAll(second, "?definition=work&status=COMPLETED&limit=3").size() == 10);

    // when every page of three is read through the second node
    List<String> keys = listAll(second, "?definition=work&status=COMPLETED&limit=3");

    // then each saga shows up once, in key order, and the first node lists the same
    assertThat(keys)
        .containsExactly(
            "job-0", "job-1", "job-2", "job-3", "job-4", "job-5", "job-6", "job-7", "job-8",
            "job-9");
    assertThat(listAll(first, "?definition=work&limit=4")).isEqualTo(keys);
    assertThat(listAll(first, "?definition=work&status=RUNNING")).isEmpty();
  }

  @Test
  @Order(3)
  void deploysOfOneNameThroughBothNodesAtOnceEachGetAVersionOfTheirOwn() throws Exception {
    // given documents of one definition that differ in their step's name, sent in pairs, one
    // through each node at the same moment, the second node's as YAML
    String name = "deployed-twice";
    java.util.concurrent.ExecutorService callers =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    Map<Integer, String> stepByVersion = new java.util.TreeMap<>();
    Set<String> answeredBy = new HashSet<>();
    try {
      for (int round = 0; round < 4; round++) {
        String viaFirst = "first-" + round;
        String viaSecond = "second-" + round;
        var fromFirst =
            callers.submit(() -> first.post("/definitions", deployJson(name, viaFirst)));
        var fromSecond =
            callers.submit(
                () ->
                    second.post(
                        "/definitions",
                        deployYaml(name, viaSecond),
                        Map.of("Content-Type", "application/yaml")));

        // when both are answered
        for (var answer :
            List.of(Map.entry(viaFirst, fromFirst), Map.entry(viaSecond, fromSecond))) {
          HttpResponse<String> deployed =
              answer.getValue().get(60, java.util.concurrent.TimeUnit.SECONDS);
          assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
          int version = json(deployed).path("version").asInt();
          assertThat(stepByVersion.put(version, answer.getKey()))
              .as("version %d given to two deploys", version)
              .isNull();
          deployed.headers().firstValue(Forwarder.ANSWERED_BY).ifPresent(answeredBy::add);
        }
      }
    } finally {
      callers.shutdownNow();
    }

    // then every deploy got a version of its own, each version holds the document it was given,
    // and one node took them all
    assertThat(stepByVersion).hasSize(8);
    stepByVersion.forEach(
        (version, step) ->
            assertThat(
                    json(first.get("/definitions/" + name + "/" + version))
                        .path("steps")
                        .get(0)
                        .asText())
                .as("version %d", version)
                .isEqualTo(step));
    assertThat(answeredBy).hasSize(1);
  }

  private String deployJson(String name, String step) {
    return WORK_DEFINITION
        .formatted(prefix)
        .replace("\"work\"", "\"" + name + "\"")
        .replace("\"do\"", "\"" + step + "\"");
  }

  private String deployYaml(String name, String step) {
    return """
        name: %s
        data:
          schema: {type: record, name: Job, namespace: jobs, fields: [{name: id, type: string}]}
        steps:
          - name: %s
            action:
              topic: %swork.commands
              schema: {type: record, name: Do, namespace: jobs, fields: [{name: id, type: string}]}
        """
        .formatted(name, step, prefix);
  }

  @Test
  @Order(4)
  void whileANodeIsAwayItsKeysAreAnsweredFromTheStandbyMarkedStale() {
    // given the keys the second node owns
    List<String> ownedBySecond = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> answer = first.get("/sagas/job-" + i + "/work");
      if (answer.headers().firstValue(Forwarder.ANSWERED_BY).orElse("").equals(second.address())) {
        ownedBySecond.add("job-" + i);
      }
    }
    assertThat(ownedBySecond).isNotEmpty();

    // when the second node stops, staying in the group as a static member does
    second.close();
    second = null;

    // then the first node answers for those keys from its standby, and says the answer is stale
    for (String key : ownedBySecond) {
      HttpResponse<String> answer = first.get("/sagas/" + key + "/work");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(json(answer).path("status").asText()).isEqualTo("COMPLETED");
      assertThat(json(answer).path("stale").asBoolean()).as(answer.body()).isTrue();
      assertThat(answer.headers().firstValue(Forwarder.ANSWERED_BY)).contains(first.address());
    }
    // and the list names the node that did not answer, and the partitions its sagas are on
    HttpResponse<String> list = first.get("/sagas?definition=work");
    assertThat(json(list).path("unanswered").toString()).contains(secondAddress);
    assertThat(json(list).path("missingPartitions").size()).as(list.body()).isPositive();
  }

  /** The saga keys of every page of {@code query}, following the cursors. */
  private static List<String> listAll(RunningNode node, String query) {
    List<String> keys = new java.util.ArrayList<>();
    String cursor = null;
    do {
      HttpResponse<String> page =
          node.get("/sagas" + query + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      assertThat(json(page).path("unanswered").size()).as(page.body()).isZero();
      assertThat(json(page).path("missingPartitions").size()).as(page.body()).isZero();
      json(page).path("sagas").forEach(saga -> keys.add(saga.path("key").asText()));
      cursor =
          json(page).path("nextCursor").isNull() ? null : json(page).path("nextCursor").asText();
    } while (cursor != null);
    return keys;
  }

  private static Set<String> answerers(RunningNode node, int keys) {
    Set<String> answerers = new HashSet<>();
    for (int i = 0; i < keys; i++) {
      HttpResponse<String> response = node.get("/sagas/probe-" + i);
      if (response.statusCode() == 200) {
        response.headers().firstValue(Forwarder.ANSWERED_BY).ifPresent(answerers::add);
      }
    }
    return answerers;
  }
}
