package io.sagastream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagastream.samples.inventory.InventoryTeam;
import io.sagastream.samples.payment.PaymentTeam;
import io.sagastream.samples.shipping.ShippingTeam;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    }
  }
}
