package io.sagastream.samples;

import static io.sagastream.testing.TopicIo.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagastream.contracts.SagaHeaders;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.registry.serde.ConfluentWireFormat;
import io.sagastream.samples.inventory.InventoryTeam;
import io.sagastream.samples.payment.PaymentTeam;
import io.sagastream.samples.shipping.CancelShipment;
import io.sagastream.samples.shipping.ScheduleShipment;
import io.sagastream.samples.shipping.ShipmentScheduled;
import io.sagastream.samples.shipping.ShippingTeam;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.LoopbackRelay;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.TopicIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A participant in another language: the shipping step of order-fulfilment served by the Node.js
 * participant (kafkajs and Confluent's own JavaScript serde), the other steps by the Java samples.
 */
@RealInfrastructure
class NodeShippingParticipantIT {

  @Test
  void aSagaWhoseShippingStepTheNodeParticipantServesCompletesWithItsReply(
      KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path state) throws Exception {
    // given an orchestrator node, the Java inventory and payment participants, and shipping in Node
    String prefix = "node" + UUID.randomUUID().toString().substring(0, 6) + ".";
    try (TestNode node = TestNode.start(kafka, registry, prefix, 2, state);
        SampleParticipants java =
            SampleParticipants.start(
                new SampleSettings(
                    kafka.bootstrapServers(), registry.url(), prefix, 2, (short) 1, Map.of()),
                List.of(InventoryTeam.NAME, PaymentTeam.NAME));
        NodeShippingParticipant shipping =
            NodeShippingParticipant.start(kafka.bootstrapServers(), registry.url(), prefix)) {
      await().atMost(Duration.ofSeconds(90)).until(shipping::ready);
      assertThat(java.participants()).doesNotContain(ShippingTeam.NAME);
      // and, ahead of the saga's command on the same partition, one whose bytes are no Avro
      String garbageReplies = prefix + "garbage.replies";
      kafka.createTopic(garbageReplies, 1);
      sendUnreadableCommand(kafka, prefix + "shipping.schedule", "o-node", garbageReplies);
      HttpResponse<String> deployed =
          node.post("/definitions", OrderFulfilment.definitionDocument(prefix));
      assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

      // when an order's saga starts and its payment is confirmed
      assertThat(
              node.post(
                      "/sagas",
                      """
                      {"definition": "order-fulfilment", "key": "o-node",
                       "data": {"orderId": "o-node", "customerId": "c-1", "sku": "sku-7",
                                "quantity": 2, "amount": 4990, "address": "1 Main Street"}}""")
                  .statusCode())
          .isEqualTo(202);
      assertThat(
              node.post(
                      "/messages",
                      """
                      {"name": "%s", "key": "o-node", "messageId": "conf-o-node",
                       "data": {"confirmationId": "conf-o-node"}}"""
                          .formatted(OrderFulfilment.PAYMENT_CONFIRMED))
                  .statusCode())
          .isEqualTo(202);

      // then it completes with the shipment the Node participant scheduled merged into its data
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  node.saga("o-node", OrderFulfilment.NAME)
                      .path("status")
                      .asText()
                      .equals("COMPLETED"));
      JsonNode data = node.saga("o-node", OrderFulfilment.NAME).path("data");
      assertThat(data.path("shipmentId").asText()).startsWith("node-shp-");
      assertThat(data.path("trackingNumber").asText()).startsWith("NODE-TRK-");
      assertThat(data.path("reservationId").asText()).isNotBlank();
      assertThat(shipping.events())
          .anySatisfy(
              event -> {
                assertThat(event.path("event").asText()).isEqualTo("handled");
                assertThat(event.path("orderId").asText()).isEqualTo("o-node");
                assertThat(event.path("kind").asText()).isEqualTo("action");
              });
      // and the command it could not read was answered failure UNREADABLE_COMMAND, not retried
      List<ConsumerRecord<String, byte[]>> garbageAnswers =
          TopicIo.consume(
              kafka, garbageReplies, 1, new StringDeserializer(), new ByteArrayDeserializer());
      assertThat(garbageAnswers)
          .singleElement()
          .satisfies(
              reply -> {
                assertThat(header(reply, SagaHeaders.COMMAND_ID)).isEqualTo("cmd-garbage");
                assertThat(header(reply, SagaHeaders.SAGA_ID)).isEqualTo("saga-garbage");
                assertThat(header(reply, SagaHeaders.OUTCOME))
                    .isEqualTo(SagaHeaders.OUTCOME_FAILURE);
                assertThat(header(reply, SagaHeaders.ERROR_CODE)).isEqualTo("UNREADABLE_COMMAND");
                assertThat(header(reply, SagaHeaders.ERROR_MESSAGE)).isNotBlank();
              });
      assertThat(shipping.events("unreadable")).hasSize(1);
    }
  }

  @Test
  void aNodeParticipantStartedBeforeTheRegistryAnswersWaitsAndServesOnceItDoes(
      KafkaCluster kafka, SchemaRegistryServer registry) throws Exception {
    // given the shipping topics, and a registry that cannot be reached yet
    String prefix = "nodewait" + UUID.randomUUID().toString().substring(0, 6) + ".";
    kafka.createTopic(prefix + "shipping.schedule", 2);
    kafka.createTopic(prefix + "shipping.cancel", 2);
    try (LoopbackRelay unreachable = LoopbackRelay.down(registry.url());
        NodeShippingParticipant shipping =
            NodeShippingParticipant.start(kafka.bootstrapServers(), unreachable.url(), prefix)) {

      // when the participant has failed to start twice
      await().atMost(Duration.ofSeconds(60)).until(() -> shipping.events("waiting").size() >= 2);

      // then it is still running, and says what it waits for
      assertThat(shipping.alive()).isTrue();
      assertThat(shipping.ready()).isFalse();
      assertThat(shipping.events("waiting").get(0).path("reason").asText())
          .contains("the registry at " + unreachable.url());

      // and once the registry answers, it starts without a restart
      unreachable.comeBack();
      await().atMost(Duration.ofSeconds(90)).until(shipping::ready);
      assertThat(shipping.alive()).isTrue();
    }
  }

  @Test
  void aCommandWithAnEmptyValueIsAnsweredOnceAsUnreadableAndTheNextOneOnItsPartitionIsServed(
      KafkaCluster kafka, SchemaRegistryServer registry) throws Exception {
    // given the Node participant on one-partition topics
    try (Shipping shipping = Shipping.start(kafka, registry, "nodeempty")) {
      // when a command with a zero-length value arrives, and a good one behind it
      shipping.send(
          shipping.command(shipping.schedule, "saga-empty", "cmd-empty", new byte[0]),
          shipping.command(
              shipping.schedule, "saga-next", "cmd-next", shipping.framed(scheduleShipment())));

      // then the first is answered failure UNREADABLE_COMMAND, once, and the second succeeds
      List<ConsumerRecord<String, byte[]>> replies = shipping.replies(2);
      assertThat(replies).hasSize(2);
      assertUnreadable(replies.get(0), "saga-empty", "cmd-empty");
      assertThat(header(replies.get(1), SagaHeaders.COMMAND_ID)).isEqualTo("cmd-next");
      assertThat(header(replies.get(1), SagaHeaders.OUTCOME))
          .isEqualTo(SagaHeaders.OUTCOME_SUCCESS);
      assertThat(shipping.participant.events("unreadable")).hasSize(1);
    }
  }

  @Test
  void aCommandWhoseValueIsAnotherRecordTypeIsAnsweredAsUnreadable(
      KafkaCluster kafka, SchemaRegistryServer registry) throws Exception {
    // given the Node participant
    try (Shipping shipping = Shipping.start(kafka, registry, "nodetype")) {
      // when a ScheduleShipment command carries a CancelShipment record
      shipping.send(
          shipping.command(
              shipping.schedule,
              "saga-type",
              "cmd-type",
              shipping.framed(new CancelShipment("o-type", null))));

      // then it is answered failure UNREADABLE_COMMAND, not scheduled
      assertThat(shipping.replies(1))
          .singleElement()
          .satisfies(reply -> assertUnreadable(reply, "saga-type", "cmd-type"));
    }
  }

  @Test
  void aRetriedScheduleShipmentOfTheSameSagaGetsTheSameShipment(
      KafkaCluster kafka, SchemaRegistryServer registry) throws Exception {
    // given the Node participant
    try (Shipping shipping = Shipping.start(kafka, registry, "noderetry")) {
      byte[] value = shipping.framed(scheduleShipment());

      // when a saga's ScheduleShipment is tried twice, with a new command id, and another saga's
      // once
      shipping.send(
          shipping.command(shipping.schedule, "saga-retry", "cmd-attempt-1", value),
          shipping.command(shipping.schedule, "saga-retry", "cmd-attempt-2", value),
          shipping.command(shipping.schedule, "saga-other", "cmd-other", value));

      // then both attempts name the same shipment, and the other saga has its own
      List<ConsumerRecord<String, byte[]>> replies = shipping.replies(3);
      assertThat(replies).hasSize(3);
      assertThat(replies)
          .allSatisfy(
              reply ->
                  assertThat(header(reply, SagaHeaders.OUTCOME))
                      .isEqualTo(SagaHeaders.OUTCOME_SUCCESS));
      String first = shipping.shipmentId(replies.get(0));
      assertThat(first).startsWith("node-shp-");
      assertThat(shipping.shipmentId(replies.get(1))).isEqualTo(first);
      assertThat(shipping.shipmentId(replies.get(2))).isNotEqualTo(first);
    }
  }

  @Test
  void aScheduleShipmentArrivingAfterItsCancelShipmentIsRefusedAsAlreadyCompensated(
      KafkaCluster kafka, SchemaRegistryServer registry) throws Exception {
    // given the Node participant, and a saga whose shipping step was compensated already
    try (Shipping shipping = Shipping.start(kafka, registry, "nodelate")) {
      shipping.send(
          shipping
              .command(
                  shipping.cancel,
                  "saga-late",
                  "cmd-cancel",
                  shipping.framed(new CancelShipment("o-late", null)))
              .asCompensation());
      assertThat(shipping.replies(1))
          .singleElement()
          .satisfies(
              reply ->
                  assertThat(header(reply, SagaHeaders.OUTCOME))
                      .isEqualTo(SagaHeaders.OUTCOME_SUCCESS));

      // when the step's action arrives after it
      shipping.send(
          shipping.command(
              shipping.schedule, "saga-late", "cmd-action", shipping.framed(scheduleShipment())));

      // then it is refused, and no shipment is booked
      List<ConsumerRecord<String, byte[]>> replies = shipping.replies(2);
      assertThat(replies).hasSize(2);
      ConsumerRecord<String, byte[]> refusal = replies.get(1);
      assertThat(header(refusal, SagaHeaders.COMMAND_ID)).isEqualTo("cmd-action");
      assertThat(header(refusal, SagaHeaders.OUTCOME)).isEqualTo(SagaHeaders.OUTCOME_FAILURE);
      assertThat(header(refusal, SagaHeaders.ERROR_CODE))
          .isEqualTo(CompensatedSteps.ALREADY_COMPENSATED);
      assertThat(refusal.value()).isNull();
    }
  }

  private static ScheduleShipment scheduleShipment() {
    return new ScheduleShipment("o-1", "1 Main Street", 2);
  }

  private static void assertUnreadable(
      ConsumerRecord<String, byte[]> reply, String sagaId, String commandId) {
    assertThat(header(reply, SagaHeaders.SAGA_ID)).isEqualTo(sagaId);
    assertThat(header(reply, SagaHeaders.COMMAND_ID)).isEqualTo(commandId);
    assertThat(header(reply, SagaHeaders.OUTCOME)).isEqualTo(SagaHeaders.OUTCOME_FAILURE);
    assertThat(header(reply, SagaHeaders.ERROR_CODE)).isEqualTo("UNREADABLE_COMMAND");
    assertThat(header(reply, SagaHeaders.ERROR_MESSAGE)).isNotBlank();
    assertThat(reply.value()).isNull();
  }

  /**
   * The Node participant on one-partition command and reply topics of their own, so that commands
   * are served, and replies read, in the order they were sent.
   */
  private record Shipping(
      KafkaCluster kafka,
      SchemaRegistry registry,
      NodeShippingParticipant participant,
      String schedule,
      String cancel,
      String replyTopic)
      implements AutoCloseable {

    static Shipping start(KafkaCluster kafka, SchemaRegistryServer server, String name)
        throws Exception {
      String prefix = name + UUID.randomUUID().toString().substring(0, 6) + ".";
      for (String topic : List.of("shipping.schedule", "shipping.cancel", "replies")) {
        kafka.createTopic(prefix + topic, 1);
      }
      Shipping shipping =
          new Shipping(
              kafka,
              new RestSchemaRegistry(RegistryClientConfig.of(server.url())),
              NodeShippingParticipant.start(kafka.bootstrapServers(), server.url(), prefix),
              prefix + "shipping.schedule",
              prefix + "shipping.cancel",
              prefix + "replies");
      try {
        await().atMost(Duration.ofSeconds(90)).until(shipping.participant::ready);
      } catch (RuntimeException e) {
        shipping.close();
        throw e;
      }
      return shipping;
    }

    /** An action command of the shipping step, keyed by its order, replying to this topic. */
    Command command(String topic, String sagaId, String commandId, byte[] value) {
      return new Command(topic, sagaId, commandId, SagaHeaders.KIND_ACTION, value, replyTopic);
    }

    /** {@code record} in the Confluent wire format, under its registered full name. */
    byte[] framed(SpecificRecord record) throws IOException {
      Schema schema = record.getSchema();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
      new SpecificDatumWriter<SpecificRecord>(schema).write(record, encoder);
      encoder.flush();
      return ConfluentWireFormat.frame(
          registry.register(schema.getFullName(), schema), body.toByteArray());
    }

    void send(Command... commands) {
      TopicIo.produce(
          kafka,
          new StringSerializer(),
          new ByteArraySerializer(),
          Arrays.stream(commands).map(Command::record).toList());
    }

    List<ConsumerRecord<String, byte[]>> replies(int expected) {
      return TopicIo.consume(
          kafka, replyTopic, expected, new StringDeserializer(), new ByteArrayDeserializer());
    }

    String shipmentId(ConsumerRecord<String, byte[]> reply) {
      try (AvroDeserializer<GenericRecord> records =
          AvroDeserializer.generic(registry, ShipmentScheduled.getClassSchema())) {
        return records.deserialize(replyTopic, reply.value()).get("shipmentId").toString();
      }
    }

    @Override
    public void close() throws InterruptedException {
      participant.close();
      registry.close();
    }
  }

  /** A command record with the headers the orchestrator sets. */
  private record Command(
      String topic, String sagaId, String commandId, String kind, byte[] value, String replyTo) {

    Command asCompensation() {
      return new Command(topic, sagaId, commandId, SagaHeaders.KIND_COMPENSATION, value, replyTo);
    }

    ProducerRecord<String, byte[]> record() {
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "o-1", value);
      record.headers().add(SagaHeaders.REPLY_TO, bytes(replyTo));
      record.headers().add(SagaHeaders.SAGA_ID, bytes(sagaId));
      record.headers().add(SagaHeaders.SAGA_NAME, bytes(OrderFulfilment.NAME));
      record.headers().add(SagaHeaders.SAGA_STEP, bytes("schedule-shipment"));
      record.headers().add(SagaHeaders.SAGA_KIND, bytes(kind));
      record.headers().add(SagaHeaders.COMMAND_ID, bytes(commandId));
      record.headers().add(SagaHeaders.ATTEMPT, bytes("1"));
      return record;
    }
  }

  private static void sendUnreadableCommand(
      KafkaCluster kafka, String topic, String key, String replyTo) {
    ProducerRecord<String, byte[]> command = new ProducerRecord<>(topic, key, new byte[] {7, 7, 7});
    command.headers().add(SagaHeaders.REPLY_TO, bytes(replyTo));
    command.headers().add(SagaHeaders.SAGA_ID, bytes("saga-garbage"));
    command.headers().add(SagaHeaders.COMMAND_ID, bytes("cmd-garbage"));
    TopicIo.produce(kafka, new StringSerializer(), new ByteArraySerializer(), List.of(command));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
