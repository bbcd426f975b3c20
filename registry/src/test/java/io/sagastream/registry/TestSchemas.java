package io.sagastream.registry;

import io.sagastream.registry.testing.Currency;
import io.sagastream.registry.testing.OrderLine;
import io.sagastream.registry.testing.OrderPlaced;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;

/** Schemas and records the registry and serde tests share. */
public final class TestSchemas {

  private TestSchemas() {}

  /** A name no other test (or earlier run against the same registry) has used. */
  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** One of the evolution test's schemas, from src/test/resources/evolution. */
  public static Schema customer(String version) {
    String resource = "/evolution/customer-" + version + ".avsc";
    try (InputStream in = TestSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("No test schema " + resource);
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static OrderPlaced order(String id, long amountCents, String note) {
    return OrderPlaced.newBuilder()
        .setOrderId(id)
        .setAmountCents(amountCents)
        .setCurrency(Currency.EUR)
        .setLines(
            List.of(
                OrderLine.newBuilder().setSku("sku-1").setQuantity(2).build(),
                OrderLine.newBuilder().setSku("sku-2").setQuantity(1).build()))
        .setPlacedAt(Instant.ofEpochMilli(1_763_700_000_123L + amountCents))
        .setNote(note)
        .build();
  }
}
