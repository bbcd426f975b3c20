package io.sagastream.app;

import static io.sagastream.app.RunningNode.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagastream.contracts.SagaHeaders;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.ScriptedParticipant;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting, reading, cancelling and repairing sagas through a running node's API. The participant
 * in the test answers actions, except for keys starting "slow-" or "stuck-", and answers
 * compensations, except that it refuses those of "stuck-" keys until the test heals them.
 */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SagasApiIT {

  /** More calls than the server has event-loop threads (Netty's default: two per core). */
  private static final int WAITING_CALLS = 2 * Runtime.getRuntime().availableProcessors() + 2;

  private final String prefix = "sapi" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private KafkaCluster kafka;
  private RunningNode node;
  private ScriptedParticipant participant;
  private final Set<String> healed = ConcurrentHashMap.newKeySet();

  @BeforeAll
  void start(KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path state) {
    this.kafka = kafka;
    kafka.createTopic(prefix + "inventory.commands", 2, 1, Map.of());
    node =
        RunningNode.start(
            kafka,
            registry,
            prefix,
            state,
            Map.of(
                "sagastream.recovery-interval",
                "PT2S",
                "sagastream.max-waiting-starts",
                WAITING_CALLS - 1));
    HttpResponse<String> deployed =
        node.post(
            "/definitions",
            """
            {"name": "reserve-only",
             "data": {"schema": {"type": "record", "name": "OrderData", "namespace": "shop",
                                 "fields": [{"name": "orderId", "type": "string"},
                                            {"name": "note", "type": ["null", "string"], "default": null}]}},
             "steps": [{"name": "reserve",
                        "action": {"topic": "%1$sinventory.commands",
                                   "schema": {"type": "record", "name": "Reserve", "namespace": "inventory",
                                              "fields": [{"name": "orderId", "type": "string"}]}},
                        "compensation": {"topic": "%1$sinventory.commands",
                                   "schema": {"type": "record", "name": "Release", "namespace": "inventory",
                                              "fields": [{"name": "orderId", "type": "string"}]}}}]}"""
                .formatted(prefix));
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
    HttpResponse<String> waiting =
        node.post(
            "/definitions",
            """
            {"name": "await-payment",
             "data": {"schema": {"type": "record", "name": "PaidOrder", "namespace": "shop",
                                 "fields": [{"name": "orderId", "type": "string"},
                                            {"name": "amount", "type": "long", "default": 0}]}},
             "steps": [{"name": "paid",
                        "receive": {"message": "PaymentConfirmed", "timeout": "PT5M",
                                    "schema": {"type": "record", "name": "PaymentConfirmed", "namespace": "payment",
                                               "fields": [{"name": "amount", "type": "long"}]}}}]}""");
    assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(201);
    participant =
        ScriptedParticipant.start(
            kafka,
            prefix + "participant",
            List.of(prefix + "inventory.commands"),
            command -> {
              boolean held =
                  command.key().startsWith("slow-") || command.key().startsWith("stuck-");
              if (command.kind().equals(SagaHeaders.KIND_ACTION)) {
                return held ? Optional.empty() : Optional.of(SagaHeaders.OUTCOME_SUCCESS);
              }
              return command.key().startsWith("stuck-") && !healed.contains(command.key())
                  ? Optional.of(SagaHeaders.OUTCOME_FAILURE)
                  : Optional.of(SagaHeaders.OUTCOME_SUCCESS);
            });
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (participant != null) {
      participant.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aStartWithWaitAnswersWithTheEndedSagaAndItsData() {
    HttpResponse<String> response =
        node.post(
            "/sagas?wait=PT30S",
            "{\"definition\": \"reserve-only\", \"key\": \"ok-1\", \"data\": {\"orderId\": \"ok-1\", \"note\": \"gift\"}}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode saga = json(response);
    assertThat(saga.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(saga.path("data").path("note").asText()).isEqualTo("gift");
    assertThat(json(node.get("/sagas/ok-1")).get(0).path("definition").asText())
        .isEqualTo("reserve-only");
    assertThat(json(node.get("/sagas/ok-1/reserve-only")).path("history").size()).isPositive();
  }

  @Test
  void prometheusShowsSagaCountsLatenciesGaugesAndKafkaStreamsThreadMetrics() {
    HttpResponse<String> ended =
        node.post(
            "/sagas?wait=PT30S",
            "{\"definition\": \"reserve-only\", \"key\": \"metrics-1\", \"data\": {\"orderId\": \"m\"}}");
    assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);

    // when a recovery scan that ran after the saga ended has counted the instances (every 2 s
    // here); a scan from before the end may already have published the gauge with other counts
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> completedReserveOnly(node.get("/prometheus").body()) >= 1);
    String scrape = node.get("/prometheus").body();

    // then the counts, latencies and gauges are there, with values that fit the run
    assertThat(scrape)
        .containsPattern(
            "sagastream_saga_events_total\\{[^}]*definition=\"reserve-only\"[^}]*event=\"SagaCompleted\"")
        .contains("sagastream_timer_lateness_seconds_count")
        .containsPattern(
            "sagastream_step_round_trip_seconds_count\\{[^}]*definition=\"reserve-only\"[^}]*outcome=\"success\"[^}]*step=\"reserve\"")
        .containsPattern("sagastream_recovery_scan_seconds_count(\\{[^}]*})? [1-9]")
        .contains("sagastream_recovery_redriven_last")
        .contains("sagastream_timers_pending")
        .contains("sagastream_inbox_messages")
        .containsPattern("kafka_stream_thread_[a-z_]+\\{[^}]*thread_id=");
    assertThat(completedReserveOnly(scrape)).isGreaterThanOrEqualTo(1);
    assertThat(
            metric(
                scrape,
                "sagastream_step_round_trip_seconds_max",
                "step=\"reserve\"",
                "kind=\"action\""))
        .isPositive()
        .isLessThan(30);
  }

  /** Instances of reserve-only counted as COMPLETED by the last scan, 0 before any count. */
  private static double completedReserveOnly(String scrape) {
    return scrape
        .lines()
        .filter(line -> line.startsWith("sagastream_instances{"))
        .filter(line -> line.contains("definition=\"reserve-only\""))
        .filter(line -> line.contains("status=\"COMPLETED\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .max()
        .orElse(0);
  }

  /** The value of the first sample of {@code name} whose labels contain each of {@code labels}. */
  private static double metric(String scrape, String name, String... labels) {
    return scrape
        .lines()
        .filter(line -> line.startsWith(name + "{"))
        .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " with " + List.of(labels)));
  }

  @Test
  void aSagaStartedInATraceCarriesThatTraceToItsCommandsAndJournalEvents() {
    // given a caller in a trace
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    String callerSpan = "b7ad6b7169203331";

    // when it starts a saga
    HttpResponse<String> started =
        node.post(
            "/sagas?wait=PT30S",
            "{\"definition\": \"reserve-only\", \"key\": \"traced-1\", \"data\": {\"orderId\": \"t\"}}",
            Map.of("traceparent", "00-" + traceId + "-" + callerSpan + "-01"));

    // then the participant's command is in the caller's trace, in a span of its own
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    ScriptedParticipant.Command command =
        participant.received().stream()
            .filter(c -> c.key().equals("traced-1"))
            .findFirst()
            .orElseThrow();
    assertThat(command.traceparent())
        .matches("00-" + traceId + "-[0-9a-f]{16}-01")
        .doesNotContain(callerSpan);
    // and so is every journal event of the saga
    List<String> eventTraces = journalTraceparents("traced-1", 4);
    assertThat(eventTraces).hasSizeGreaterThanOrEqualTo(4);
    assertThat(eventTraces).allSatisfy(t -> assertThat(t).startsWith("00-" + traceId + "-"));
  }

  /** The traceparent headers of the journal events on {@code key}, once at least {@code count}. */
  private List<String> journalTraceparents(String key, int count) {
    List<String> traces = new java.util.ArrayList<>();
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            Map.<String, Object>of(
                "bootstrap.servers",
                kafka.bootstrapServers(),
                "group.id",
                "journal-" + UUID.randomUUID(),
                "auto.offset.reset",
                "earliest",
                "isolation.level",
                "read_committed"),
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.subscribe(List.of(prefix + io.sagastream.topology.TopologyNames.EVENTS_TOPIC));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (traces.size() < count && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          var header = record.headers().lastHeader("traceparent");
          if (key.equals(record.key()) && header != null) {
            traces.add(new String(header.value(), java.nio.charset.StandardCharsets.UTF_8));
          }
        }
      }
    }
    return traces;
  }

  @Test
  void aCancelledSagaIsCompensated() {
    HttpResponse<String> started =
        node.post(
            "/sagas",
            "{\"definition\": \"reserve-only\", \"key\": \"slow-1\", \"data\": {\"orderId\": \"slow-1\"}}");
    assertThat(started.statusCode()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> node.get("/sagas/slow-1/reserve-only").statusCode() == 200);

    HttpResponse<String> cancelled = node.post("/sagas/slow-1/reserve-only/cancel", "");

    assertThat(cancelled.statusCode()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                json(node.get("/sagas/slow-1/reserve-only"))
                    .path("status")
                    .asText()
                    .equals("COMPENSATED"));
  }

  @Test
  void anIncidentIsRetriedOrSkippedThroughTheApi() {
    // given two cancelled sagas whose compensation fails for good, each with an incident
    for (String key : List.of("stuck-retry", "stuck-skip")) {
      node.post(
          "/sagas",
          "{\"definition\": \"reserve-only\", \"key\": \"%s\", \"data\": {\"orderId\": \"o\"}}"
              .formatted(key));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> node.get("/sagas/" + key + "/reserve-only").statusCode() == 200);
      assertThat(node.post("/sagas/" + key + "/reserve-only/cancel", "").statusCode())
          .isEqualTo(202);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> json(node.get("/sagas/" + key + "/reserve-only")).has("incident"));
      assertThat(json(node.get("/sagas/" + key + "/reserve-only")).path("status").asText())
          .isEqualTo("FAILED");
    }

    // when the participant is healed and one incident is retried, the other skipped by naming
    // the incident its view shows
    healed.add("stuck-retry");
    String raisedAt =
        json(node.get("/sagas/stuck-skip/reserve-only")).path("incident").path("raisedAt").asText();
    HttpResponse<String> another =
        node.post("/sagas/stuck-skip/reserve-only/skip?incident=2020-01-01T00:00:00Z", "");
    HttpResponse<String> unreadable =
        node.post("/sagas/stuck-skip/reserve-only/skip?incident=yesterday", "");
    HttpResponse<String> retried = node.post("/sagas/stuck-retry/reserve-only/retry", "");
    HttpResponse<String> skipped =
        node.post("/sagas/stuck-skip/reserve-only/skip?incident=" + raisedAt, "");

    // then a skip naming another incident is a 409, an unreadable one a 400
    assertThat(another.statusCode()).as(another.body()).isEqualTo(409);
    assertThat(json(another).path("message").asText())
        .contains("has another incident now, raised at " + raisedAt);
    assertThat(unreadable.statusCode()).as(unreadable.body()).isEqualTo(400);
    // and both others are accepted and both sagas end compensated, the retried one by a new attempt
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
    assertThat(skipped.statusCode()).as(skipped.body()).isEqualTo(202);
    for (String key : List.of("stuck-retry", "stuck-skip")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  json(node.get("/sagas/" + key + "/reserve-only"))
                      .path("status")
                      .asText()
                      .equals("COMPENSATED"));
    }
    assertThat(
            participant.received().stream()
                .filter(c -> c.key().equals("stuck-retry"))
                .filter(c -> c.kind().equals(SagaHeaders.KIND_COMPENSATION))
                .count())
        .isEqualTo(2);
    assertThat(
            participant.received().stream()
                .filter(c -> c.key().equals("stuck-skip"))
                .filter(c -> c.kind().equals(SagaHeaders.KIND_COMPENSATION))
                .count())
        .isEqualTo(1);
  }

  @Test
  void aMessagePublishedThroughTheApiReachesTheSagaWaitingForIt() {
    node.post(
        "/sagas",
        "{\"definition\": \"await-payment\", \"key\": \"pay-1\", \"data\": {\"orderId\": \"pay-1\"}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> node.get("/sagas/pay-1/await-payment").statusCode() == 200);

    HttpResponse<String> published =
        node.post(
            "/messages",
            "{\"name\": \"PaymentConfirmed\", \"key\": \"pay-1\", \"data\": {\"amount\": 4200}, \"messageId\": \"p-1\"}");

    assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                json(node.get("/sagas/pay-1/await-payment"))
                    .path("status")
                    .asText()
                    .equals("COMPLETED"));
    assertThat(json(node.get("/sagas/pay-1/await-payment")).path("data").path("amount").asLong())
        .isEqualTo(4200);
    assertThat(
            node.post("/messages", "{\"name\": \"Unheard\", \"key\": \"pay-1\", \"data\": {}}")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void aMessageIsWrittenWithTheSchemaOfTheLatestVersionThatWaitsForIt() {
    // given a definition whose second version's message has a field the first's lacks
    String refund =
        """
        {"name": "await-refund",
         "data": {"schema": {"type": "record", "name": "Refund", "namespace": "shop",
                             "fields": [{"name": "orderId", "type": "string"}%s]}},
         "steps": [{"name": "refunded",
                    "receive": {"message": "RefundIssued", "timeout": "PT5M",
                                "schema": {"type": "record", "name": "RefundIssued", "namespace": "payment",
                                           "fields": [{"name": "amount", "type": "long"}%s]}}}]}""";
    String amount = ", {\"name\": \"amount\", \"type\": \"long\", \"default\": 0}";
    String reason = ", {\"name\": \"reason\", \"type\": [\"null\", \"string\"], \"default\": null}";
    HttpResponse<String> first = node.post("/definitions", refund.formatted(amount, ""));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    HttpResponse<String> second =
        node.post("/definitions", refund.formatted(amount + reason, reason));
    assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
    node.post(
        "/sagas",
        "{\"definition\": \"await-refund\", \"key\": \"refund-1\", \"data\": {\"orderId\": \"o\"}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> node.get("/sagas/refund-1/await-refund").statusCode() == 200);

    // when a message with that field is published
    HttpResponse<String> published =
        node.post(
            "/messages",
            "{\"name\": \"RefundIssued\", \"key\": \"refund-1\", \"data\": {\"amount\": 7, \"reason\": \"late\"}}");

    // then it is taken, and the saga of the second version gets the field
    assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                json(node.get("/sagas/refund-1/await-refund"))
                    .path("status")
                    .asText()
                    .equals("COMPLETED"));
    assertThat(json(node.get("/sagas/refund-1/await-refund")).path("data").path("reason").asText())
        .isEqualTo("late");
  }

  @Test
  void aKeyWithAPlusSignIsFoundByAPathThatEscapesIt() {
    // given a saga on a key that holds a plus sign, as a phone number does
    HttpResponse<String> started =
        node.post(
            "/sagas?wait=PT30S",
            "{\"definition\": \"reserve-only\", \"key\": \"tel+49 30\", \"data\": {\"orderId\": \"t\"}}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);

    // when it is read by paths that escape the plus sign and the space, as a path segment must
    HttpResponse<String> one = node.get("/sagas/tel%2B49%2030/reserve-only");
    HttpResponse<String> onKey = node.get("/sagas/tel%2B49%2030");

    // then the saga on that key answers, not one on "tel 49 30"
    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    assertThat(json(one).path("key").asText()).isEqualTo("tel+49 30");
    assertThat(json(onKey).size()).isEqualTo(1);
  }

  @Test
  void callsThatWaitForASagaDoNotHoldUpTheRestOfTheApiAndOneTooManyDoesNotWait() throws Exception {
    // given more calls waiting for sagas that will not end than the server has event-loop threads,
    // one more than the node lets wait
    int waiting = WAITING_CALLS;
    ExecutorService callers = Executors.newFixedThreadPool(waiting);
    try {
      List<Future<HttpResponse<String>>> waits = new ArrayList<>();
      for (int i = 0; i < waiting; i++) {
        String key = "slow-wait-" + i;
        waits.add(
            callers.submit(
                () ->
                    node.post(
                        "/sagas?wait=PT8S",
                        "{\"definition\": \"reserve-only\", \"key\": \"%s\", \"data\": {\"orderId\": \"o\"}}"
                            .formatted(key))));
      }

      // when the node's liveness is asked while they wait (2 s in: they have reached the node,
      // and have 6 s left)
      Thread.sleep(2000);
      await().atMost(Duration.ofSeconds(4)).until(() -> waits.stream().anyMatch(Future::isDone));
      long answered = waits.stream().filter(Future::isDone).count();
      long asked = System.nanoTime();
      HttpResponse<String> liveness = node.get("/health/liveness");
      Duration took = Duration.ofNanos(System.nanoTime() - asked);

      // then it answers at once, and each wait still answers when its time is up
      assertThat(liveness.statusCode()).isEqualTo(200);
      assertThat(took).isLessThan(Duration.ofSeconds(2));
      assertThat(answered).as("calls answered before their wait was over").isOne();
      for (Future<HttpResponse<String>> wait : waits) {
        assertThat(wait.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aStartThatWaitsOnAKeyWhereAnotherSagaIsOpenIsA409AtOnce() {
    // given a saga of the definition open on the key, its participant holding the command
    node.post(
        "/sagas",
        "{\"definition\": \"reserve-only\", \"key\": \"slow-open\", \"data\": {\"orderId\": \"o\"}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> node.get("/sagas/slow-open/reserve-only").statusCode() == 200);
    String open = json(node.get("/sagas/slow-open/reserve-only")).path("sagaId").asText();

    // when another start on that key waits for its saga to end
    long asked = System.nanoTime();
    HttpResponse<String> answer =
        node.post(
            "/sagas?wait=PT20S",
            "{\"definition\": \"reserve-only\", \"key\": \"slow-open\", \"data\": {\"orderId\": \"o\"}}");

    // then it is told at once which saga holds the key, rather than waiting out its 20 s
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
    assertThat(json(answer).path("message").asText()).contains(open);
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void ofTwoStartsThatWaitOnOneKeyAtOnceTheSecondIsA409AtOnce() throws Exception {
    // given two starts on one free key that wait for their sagas, sent together
    String start =
        "{\"definition\": \"reserve-only\", \"key\": \"slow-twice\", \"data\": {\"orderId\": \"o\"}}";
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      long asked = System.nanoTime();
      Future<HttpResponse<String>> first =
          callers.submit(() -> node.post("/sagas?wait=PT15S", start));
      Future<HttpResponse<String>> second =
          callers.submit(() -> node.post("/sagas?wait=PT15S", start));

      // when the first of them is answered
      await().atMost(Duration.ofSeconds(30)).until(() -> first.isDone() || second.isDone());
      HttpResponse<String> firstAnswer = (first.isDone() ? first : second).get();

      // then it is a 409 well before the waits are over (the saga's participant holds its
      // command, so the other start waits its whole wait for a 202), naming the other start
      assertThat(firstAnswer.statusCode()).as(firstAnswer.body()).isEqualTo(409);
      assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(10));
      assertThat(json(firstAnswer).path("message").asText()).contains("slow-twice");
      List<Integer> both =
          List.of(
              first.get(30, TimeUnit.SECONDS).statusCode(),
              second.get(30, TimeUnit.SECONDS).statusCode());
      assertThat(both).containsExactlyInAnyOrder(409, 202);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aListByKeyPrefixShowsTheKeysWithThatPrefixPageByPage() {
    // given sagas on keys with two prefixes, and a key that is the prefix less its dash
    for (String key : List.of("list-a-1", "list-a-2", "list-a", "list-b-1")) {
      HttpResponse<String> started =
          node.post(
              "/sagas?wait=PT30S",
              "{\"definition\": \"reserve-only\", \"key\": \"%s\", \"data\": {\"orderId\": \"o\"}}"
                  .formatted(key));
      assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    }

    // when they are listed by the prefix "list-a-", one a page
    JsonNode first = json(node.get("/sagas?keyPrefix=list-a-&limit=1"));
    String cursor = first.path("nextCursor").asText();
    JsonNode second =
        json(
            node.get(
                "/sagas?keyPrefix=list-a-&limit=1&cursor="
                    + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)));

    // then the two keys with it come, in order, and nothing after them
    assertThat(first.path("sagas").get(0).path("key").asText()).isEqualTo("list-a-1");
    assertThat(second.path("sagas").get(0).path("key").asText()).isEqualTo("list-a-2");
    assertThat(second.path("sagas")).hasSize(1);
    assertThat(second.path("nextCursor").isNull() || second.path("nextCursor").isMissingNode())
        .as(second.toString())
        .isTrue();
    // and a definition the keys have no saga of lists none of them
    assertThat(json(node.get("/sagas?keyPrefix=list-&definition=await-payment")).path("sagas"))
        .isEmpty();
  }

  @Test
  void keysAndIdsThatAreNotShortPlainTextAndOddMessageFieldsGet400NamingTheField() {
    // given a key past the longest, a key with a NUL (the stores' separator), a request id that
    // is an object, and messages with an object for an id, a fractional sequence, and a time to
    // live no clock can add
    String start =
        "{\"definition\": \"reserve-only\", \"key\": %s, \"data\": {\"orderId\": \"o\"}%s}";
    String message =
        "{\"name\": \"PaymentConfirmed\", \"key\": \"pay-odd\", \"data\": {\"amount\": 1}, %s}";

    // when they are sent
    HttpResponse<String> longKey =
        node.post("/sagas", start.formatted("\"" + "k".repeat(Identifiers.LONGEST + 1) + "\"", ""));
    HttpResponse<String> nulKey = node.post("/sagas", start.formatted("\"a\\u0000b\"", ""));
    HttpResponse<String> objectRequestId =
        node.post("/sagas", start.formatted("\"odd-1\"", ", \"requestId\": {\"id\": \"x\"}"));
    HttpResponse<String> nulInPath = node.get("/sagas/a%00b");
    HttpResponse<String> objectMessageId =
        node.post("/messages", message.formatted("\"messageId\": {}"));
    HttpResponse<String> fractionalSequence =
        node.post("/messages", message.formatted("\"sequence\": 1.5"));
    HttpResponse<String> endlessTtl =
        node.post("/messages", message.formatted("\"ttl\": \"PT100000000000000000S\""));
    HttpResponse<String> unknownPeer =
        node.post("/nodes/departures", "{\"address\": \"10.9.9.9:1\"}");

    // then each is refused, naming what is wrong, and a departure of no peer is not found
    assertThat(longKey.statusCode()).as(longKey.body()).isEqualTo(400);
    assertThat(json(longKey).path("path").asText()).isEqualTo("key");
    assertThat(nulKey.statusCode()).as(nulKey.body()).isEqualTo(400);
    assertThat(json(nulKey).path("message").asText()).contains("control characters");
    assertThat(objectRequestId.statusCode()).as(objectRequestId.body()).isEqualTo(400);
    assertThat(json(objectRequestId).path("path").asText()).isEqualTo("requestId");
    assertThat(nulInPath.statusCode()).as(nulInPath.body()).isEqualTo(400);
    assertThat(objectMessageId.statusCode()).as(objectMessageId.body()).isEqualTo(400);
    assertThat(json(objectMessageId).path("path").asText()).isEqualTo("messageId");
    assertThat(fractionalSequence.statusCode()).as(fractionalSequence.body()).isEqualTo(400);
    assertThat(json(fractionalSequence).path("path").asText()).isEqualTo("sequence");
    assertThat(endlessTtl.statusCode()).as(endlessTtl.body()).isEqualTo(400);
    assertThat(json(endlessTtl).path("path").asText()).isEqualTo("ttl");
    assertThat(unknownPeer.statusCode()).as(unknownPeer.body()).isEqualTo(404);
  }

  @Test
  void badInputGets400AndUnknownNames404WithAMessage() {
    HttpResponse<String> missingField =
        node.post("/sagas", "{\"definition\": \"reserve-only\", \"key\": \"k\", \"data\": {}}");
    HttpResponse<String> notJson = node.post("/sagas", "{oops");
    HttpResponse<String> unknownDefinition =
        node.post("/sagas", "{\"definition\": \"nope\", \"key\": \"k\", \"data\": {}}");
    HttpResponse<String> unknownSaga = node.get("/sagas/nobody/reserve-only");
    HttpResponse<String> noIncident = node.post("/sagas/ok-none/reserve-only/retry", "");
    HttpResponse<String> badWait =
        node.post(
            "/sagas?wait=soon",
            "{\"definition\": \"reserve-only\", \"key\": \"bad-wait\", \"data\": {\"orderId\": \"o\"}}");
    HttpResponse<String> unknownStatus = node.get("/sagas?status=SLEEPING");
    HttpResponse<String> badLimit = node.get("/sagas?limit=0");
    HttpResponse<String> badCursor = node.get("/sagas?cursor=%25%25");

    assertThat(missingField.statusCode()).isEqualTo(400);
    assertThat(json(missingField).path("path").asText()).isEqualTo("data.orderId");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(unknownDefinition.statusCode()).isEqualTo(404);
    assertThat(json(unknownDefinition).path("message").asText()).contains("nope");
    assertThat(unknownSaga.statusCode()).isEqualTo(404);
    assertThat(noIncident.statusCode()).isEqualTo(404);
    assertThat(badWait.statusCode()).isEqualTo(400);
    assertThat(json(badWait).path("path").asText()).isEqualTo("wait");
    // a refused start starts nothing
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> node.get("/sagas/bad-wait").body().equals("[]"));
    assertThat(unknownStatus.statusCode()).isEqualTo(400);
    assertThat(json(unknownStatus).path("path").asText()).isEqualTo("status");
    assertThat(json(unknownStatus).path("message").asText()).contains("SLEEPING", "COMPLETED");
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(json(badLimit).path("path").asText()).isEqualTo("limit");
    assertThat(badCursor.statusCode()).isEqualTo(400);
    assertThat(json(badCursor).path("path").asText()).isEqualTo("cursor");
  }
}
