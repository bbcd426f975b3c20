package io.sagastream.samples;

import static io.sagastream.testing.TopicIo.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagastream.contracts.SagaHeaders;
import io.sagastream.samples.inventory.InventoryTeam;
import io.sagastream.samples.payment.PaymentTeam;
import io.sagastream.samples.shipping.ShippingTeam;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.LoopbackRelay;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.TopicIo;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
