package io.sagastream.samples;

import io.sagastream.registry.SchemaRegistry;
import io.sagastream.samples.orders.OrderFulfilmentData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;

/**
 * The demo saga: reserve stock, charge the payment, wait for the payment provider's confirmation,
 * schedule the shipment; undone in reverse order when a step fails. Its document is a resource
 * ({@code order-fulfilment.json}) that names every schema by its registry subject: the record's
 * full name, under which each team registers its own contracts.
 */
public final class OrderFulfilment {

  public static final String NAME = "order-fulfilment";

  /** The name of the message the saga waits for after the charge. */
  public static final String PAYMENT_CONFIRMED = "PaymentConfirmed";

  private static final String RESOURCE = "order-fulfilment.json";
  private static final String TOPIC_PREFIX = "{{topicPrefix}}";

  private OrderFulfilment() {}

  /** The definition document, with the command topics under {@code topicPrefix}. */
  public static String definitionDocument(String topicPrefix) {
    try (InputStream in = OrderFulfilment.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the samples jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace(TOPIC_PREFIX, topicPrefix);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }

  /** The saga data's schema, owned by the orders team that runs the saga. */
  public static Schema dataSchema() {
    return OrderFulfilmentData.getClassSchema();
  }

  /** Registers the saga data's schema under its full name, as the definition names it. */
  public static void registerDataSchema(SchemaRegistry registry) {
    registry.register(dataSchema().getFullName(), dataSchema());
  }
}
