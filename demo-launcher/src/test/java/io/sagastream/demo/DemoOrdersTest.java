package io.sagastream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DemoOrdersTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anOrderIsTheSameInEveryRunSoThatItsSagaAndCommandIdsAreToo() throws Exception {
    assertThat(DemoOrders.start(42)).isEqualTo(DemoOrders.start(42));

    JsonNode start = JSON.readTree(DemoOrders.start(42));
    assertThat(start.path("key").asText()).isEqualTo("order-00042");
    assertThat(start.path("requestId").asText()).isEqualTo("order-00042");
    assertThat(start.path("data").path("orderId").asText()).isEqualTo("order-00042");
    assertThat(start.path("data").path("amount").asLong()).isPositive();
  }

  @Test
  void thePaymentConfirmationIsPublishedOnTheOrdersKeyOnce() throws Exception {
    JsonNode message = JSON.readTree(DemoOrders.paymentConfirmed(7));

    assertThat(message.path("name").asText()).isEqualTo("PaymentConfirmed");
    assertThat(message.path("key").asText()).isEqualTo("order-00007");
    assertThat(message.path("messageId").asText()).isEqualTo("confirmation-order-00007");
    assertThat(message.path("data").path("confirmationId").asText()).isEqualTo("conf-order-00007");
  }
}
