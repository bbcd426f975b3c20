package io.sagastream.registry.serde;

import io.sagastream.registry.SchemaRegistry;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An {@link AvroSerializer} and an {@link AvroDeserializer} over one registry, for Kafka Streams.
 */
public final class AvroSerde<T extends GenericContainer> implements Serde<T> {

  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;

  private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
    this.serializer = serializer;
    this.deserializer = deserializer;
  }

  /** Generated classes of {@code type} in and out. */
  public static <T extends SpecificRecord> AvroSerde<T> specific(
      SchemaRegistry registry, Class<T> type, SerializerOptions options) {
    return new AvroSerde<>(
        new AvroSerializer<>(registry, options), AvroDeserializer.specific(registry, type));
  }

  /** Generic records in, generic records out shaped as their writers wrote them. */
  public static AvroSerde<GenericRecord> generic(
      SchemaRegistry registry, SerializerOptions options) {
    return new AvroSerde<>(
        new AvroSerializer<>(registry, options), AvroDeserializer.generic(registry));
  }

  /** Generic records in, generic records out shaped as {@code readerSchema}. */
  public static AvroSerde<GenericRecord> generic(
      SchemaRegistry registry, Schema readerSchema, SerializerOptions options) {
    return new AvroSerde<>(
        new AvroSerializer<>(registry, options), AvroDeserializer.generic(registry, readerSchema));
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    serializer.configure(configs, isKey);
    deserializer.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}
