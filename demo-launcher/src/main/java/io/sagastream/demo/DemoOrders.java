package io.sagastream.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagastream.samples.OrderFulfilment;
import java.util.Locale;

/**
 * The demo's orders, made up from their number alone, so that every run asks for the same orders:
 * with the same keys and request ids, the sagas and their command ids are the same, and so are the
 * participants' injected faults.
 */
final class DemoOrders {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] STREETS = {
    "Main Street", "Harbour Road", "Mill Lane", "High Street"
  };

  private DemoOrders() {}

  static String key(int number) {
    return String.format(Locale.ROOT, "order-%05d", number);
  }

  /** The body of {@code POST /sagas} that starts order {@code number}'s saga. */
  static String start(int number) {
    String key = key(number);
    ObjectNode body = JSON.createObjectNode();
    body.put("definition", OrderFulfilment.NAME);
    body.put("key", key);
    // The request id makes the saga id, from which the command ids derive.
    body.put("requestId", key);
    ObjectNode data = body.putObject("data");
    data.put("orderId", key);
    data.put("customerId", "customer-" + (number % 97));
    data.put("sku", "sku-" + (number % 13));
    data.put("quantity", 1 + number % 3);
    data.put("amount", 500 + (number * 7919L) % 20_000);
    data.put("address", (1 + number % 120) + " " + STREETS[number % STREETS.length]);
    return body.toString();
  }

  /**
   * The body of {@code POST /messages} with the payment provider's confirmation of order {@code
   * number}. It often arrives before the saga waits for it; the orchestrator keeps it until then.
   */
  static String paymentConfirmed(int number) {
    String key = key(number);
    ObjectNode body = JSON.createObjectNode();
    body.put("name", OrderFulfilment.PAYMENT_CONFIRMED);
    body.put("key", key);
    body.put("messageId", "confirmation-" + key);
    body.put("ttl", "PT10M");
    body.putObject("data").put("confirmationId", "conf-" + key);
    return body.toString();
  }
}
