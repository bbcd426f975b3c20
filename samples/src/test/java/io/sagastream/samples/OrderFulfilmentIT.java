package io.sagastream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagastream.contracts.SagaHeaders;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.samples.inventory.InventoryTeam;
import io.sagastream.samples.inventory.ReleaseStock;
import io.sagastream.samples.inventory.ReserveStock;
import io.sagastream.samples.payment.PaymentTeam;
import io.sagastream.samples.shipping.ShippingTeam;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.TopicIo;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo saga of the samples' own document, run by a real orchestrator node against the sample
 * participants, on real Kafka and a real registry.
 */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderFulfilmentIT {

  private static final Duration SAGA_END = Duration.ofSeconds(60);

  private final String prefix = "samples" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private TestNode node;
  private SampleParticipants participants;
  private KafkaCluster kafka;
  private SchemaRegistry registry;

  @BeforeAll
  void start(KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path state) {
    this.kafka = kafka;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.of(registry.url()));
    node = TestNode.start(kafka, registry, prefix, 2, state);
    participants =
        SampleParticipants.start(
            new SampleSettings(
                kafka.bootstrapServers(),
                registry.url(),
                prefix,
                2,
                (short) 1,
                java.util.Map.of()));
    HttpResponse<String> deployed =
        node.post("/definitions", OrderFulfilment.definitionDocument(prefix));
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
  }

  @AfterEach
  void healEveryone() {
    SampleParticipants.TEAMS.forEach(
        team -> participants.participant(team).faults().plan(FaultPlan.NONE));
    await().atMost(Duration.ofSeconds(30)).until(participants::allUp);
  }

  @AfterAll
  void stop() {
    if (participants != null) {
      participants.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void anOrderEveryTeamAcceptsCompletesWithEachTeamsIdsInItsData() {
    // given no faults
    // when an order's saga starts and its payment is confirmed
    startOrder("o-ok");
    confirmPayment("o-ok");

    // then it completes, with what each team and the confirmation answered merged into its data
    JsonNode saga = awaitStatus("o-ok", "COMPLETED");
    JsonNode data = saga.path("data");
    assertThat(data.path("reservationId").asText())
        .isEqualTo(participants.inventory().reservations().get("o-ok"));
    assertThat(data.path("chargeId").asText())
        .isEqualTo(participants.payment().charges().get("o-ok"));
    assertThat(data.path("confirmationId").asText()).isEqualTo("conf-o-ok");
    assertThat(data.path("shipmentId").asText())
        .isEqualTo(participants.shipping().shipments().get("o-ok"));
    assertThat(data.path("trackingNumber").asText()).startsWith("TRK-");
    assertThat(participants.payment().refunds()).doesNotContain("o-ok");
  }

  @Test
  void anOrderShippingRefusesIsRefundedAndItsStockReleased() {
    // given shipping refuses every order
    participants.participant(ShippingTeam.NAME).faults().plan(FaultPlan.failing(1.0, 0.0));

    // when an order's saga starts and its payment is confirmed
    startOrder("o-refused");
    confirmPayment("o-refused");

    // then the saga is compensated: the charge refunded and the stock released, in reverse order
    JsonNode saga = awaitStatus("o-refused", "COMPENSATED");
    assertThat(participants.payment().charges()).containsKey("o-refused");
    assertThat(participants.payment().refunds()).contains("o-refused");
    assertThat(participants.inventory().reservations()).doesNotContainKey("o-refused");
    assertThat(participants.shipping().shipments()).doesNotContainKey("o-refused");
    List<String> events = events(saga);
    assertThat(events).contains("StepFailed", "CompensationStarted", "SagaCompensated");
    assertThat(details(saga, "StepCompensated"))
        .satisfiesExactly(
            receive -> assertThat(receive).contains("await-payment-confirmation"),
            refund -> assertThat(refund).contains("charge-payment"),
            release -> assertThat(release).contains("reserve-stock"));
  }

  @Test
  void aStepFailingForNowIsRetriedUntilTheParticipantRecovers() {
    // given inventory fails every command for now
    participants.participant(InventoryTeam.NAME).faults().plan(FaultPlan.failing(0.0, 1.0));
    startOrder("o-retried");
    confirmPayment("o-retried");
    await()
        .atMost(SAGA_END)
        .until(
            () ->
                events(node.saga("o-retried", OrderFulfilment.NAME))
                    .contains("StepRetryScheduled"));

    // when inventory recovers
    participants.participant(InventoryTeam.NAME).faults().plan(FaultPlan.NONE);

    // then a later attempt succeeds and the saga completes
    JsonNode saga = awaitStatus("o-retried", "COMPLETED");
    assertThat(saga.path("data").path("reservationId").asText()).startsWith("res-");
  }

  @Test
  void anOrderWaitsWhilePaymentIsDownAndCompletesWhenItIsBack() {
    // given payment is down for four seconds
    participants.participant(PaymentTeam.NAME).goDown(Duration.ofSeconds(4));
    assertThat(participants.participant(PaymentTeam.NAME).isUp()).isFalse();
    long started = System.nanoTime();

    // when an order's saga starts meanwhile
    startOrder("o-waited");
    confirmPayment("o-waited");

    // then it completes once payment is back and has read the charge command that waited for it
    awaitStatus("o-waited", "COMPLETED");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(3));
    assertThat(participants.participant(PaymentTeam.NAME).isUp()).isTrue();
  }

  @Test
  void aReservationThatArrivesAfterItsReleaseIsRefusedAndHoldsNoStock() {
    // given inventory released the stock of a saga whose reservation it has not seen yet, as when
    // the reservation waited in a backlog past its timeout and the saga compensated
    String replies = prefix + "late.replies";
    kafka.createTopic(replies, 1);
    SampleTopics topics = new SampleTopics(prefix);
    sendCommand(
        topics.releaseStock(),
        SagaHeaders.KIND_COMPENSATION,
        "cmd-release",
        replies,
        new ReleaseStock("o-late", null));
    assertThat(replies(replies, 1)).hasSize(1);

    // when the reservation arrives after it
    sendCommand(
        topics.reserveStock(),
        SagaHeaders.KIND_ACTION,
        "cmd-reserve",
        replies,
        new ReserveStock("o-late", "sku-1", 1));

    // then it is refused, and no stock is held for the order
    assertThat(replies(replies, 2))
        .extracting(
            r -> TopicIo.header(r, SagaHeaders.COMMAND_ID),
            r -> TopicIo.header(r, SagaHeaders.OUTCOME),
            r -> TopicIo.header(r, SagaHeaders.ERROR_CODE))
        .containsExactly(
            tuple("cmd-release", SagaHeaders.OUTCOME_SUCCESS, null),
            tuple(
                "cmd-reserve", SagaHeaders.OUTCOME_FAILURE, CompensatedSteps.ALREADY_COMPENSATED));
    assertThat(participants.inventory().reservations()).doesNotContainKey("o-late");
  }

  /** A command of saga {@code late-saga}'s reserve-stock step, as the orchestrator sends it. */
  private void sendCommand(
      String topic, String kind, String commandId, String replyTo, GenericContainer command) {
    RecordHeaders headers = new RecordHeaders();
    Map.of(
            SagaHeaders.SAGA_ID,
            "late-saga",
            SagaHeaders.SAGA_NAME,
            OrderFulfilment.NAME,
            SagaHeaders.SAGA_STEP,
            "reserve-stock",
            SagaHeaders.SAGA_KIND,
            kind,
            SagaHeaders.COMMAND_ID,
            commandId,
            SagaHeaders.ATTEMPT,
            "1",
            SagaHeaders.REPLY_TO,
            replyTo)
        .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
    byte[] value =
        new AvroSerializer<GenericContainer>(registry, SerializerOptions.defaults())
            .serialize(topic, command);
    TopicIo.produce(
        kafka,
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        List.of(
            new ProducerRecord<>(
                topic, null, "o-late".getBytes(StandardCharsets.UTF_8), value, headers)));
  }

  private List<ConsumerRecord<byte[], byte[]>> replies(String topic, int expected) {
    return TopicIo.consume(
        kafka, topic, expected, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private void startOrder(String orderId) {
    HttpResponse<String> started =
        node.post(
            "/sagas",
            """
            {"definition": "%s", "key": "%s", "requestId": "%s",
             "data": {"orderId": "%s", "customerId": "c-1", "sku": "sku-7", "quantity": 2,
                      "amount": 4990, "address": "1 Main Street"}}"""
                .formatted(OrderFulfilment.NAME, orderId, orderId, orderId));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
  }

  private void confirmPayment(String orderId) {
    HttpResponse<String> published =
        node.post(
            "/messages",
            """
            {"name": "%s", "key": "%s", "messageId": "conf-%s", "data": {"confirmationId": "conf-%s"}}"""
                .formatted(OrderFulfilment.PAYMENT_CONFIRMED, orderId, orderId, orderId));
    assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
  }

  private JsonNode awaitStatus(String orderId, String status) {
    await()
        .atMost(SAGA_END)
        .until(
            () -> {
              HttpResponse<String> answer =
                  node.get("/sagas/" + orderId + "/" + OrderFulfilment.NAME);
              return answer.statusCode() == 200
                  && TestNode.json(answer).path("status").asText().equals(status);
            });
    return node.saga(orderId, OrderFulfilment.NAME);
  }

  private static List<String> events(JsonNode saga) {
    List<String> events = new ArrayList<>();
    saga.path("history").forEach(entry -> events.add(entry.path("event").asText()));
    return events;
  }

  private static List<String> details(JsonNode saga, String event) {
    List<String> details = new ArrayList<>();
    saga.path("history")
        .forEach(
            entry -> {
              if (entry.path("event").asText().equals(event)) {
                details.add(entry.path("detail").asText());
              }
            });
    return details;
  }
}
