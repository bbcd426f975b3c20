package io.sagastream.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sagastream.engine.InstanceSummary;
import io.sagastream.engine.SagaData;
import io.sagastream.engine.SagaInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/**
 * Saga instances in the instance store. Two formats are read: JSON in an envelope with a format
 * version (format 1, what the first builds wrote) and compact binary (format 2, see {@link
 * InstanceBinaryFormat}). Binary is written unless a node is told to write JSON, which is what a
 * rolling upgrade from a build that reads only JSON needs until every node reads both.
 */
public final class InstanceCodec {

  /** The JSON envelope's format number. */
  public static final int FORMAT = 1;

  /** How a node writes instances; it reads either. */
  public enum Format {
    JSON,
    BINARY
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .registerModule(
              new SimpleModule("saga-data")
                  .addSerializer(SagaData.class, new SagaDataSerializer())
                  .addDeserializer(SagaData.class, new SagaDataDeserializer()))
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private InstanceCodec() {}

  /** The instance in the binary format. */
  public static byte[] encode(SagaInstance instance) {
    return encode(instance, Format.BINARY);
  }

  public static byte[] encode(SagaInstance instance, Format format) {
    return format == Format.BINARY ? InstanceBinaryFormat.encode(instance) : encodeJson(instance);
  }

  private static byte[] encodeJson(SagaInstance instance) {
    try {
      return JSON.writeValueAsBytes(new Envelope(FORMAT, instance));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write saga instance " + instance.sagaId(), e);
    }
  }

  public static SagaInstance decode(byte[] bytes) {
    return read(bytes, InstanceBinaryFormat::decode, InstanceCodec::decodeJson);
  }

  /** What the recovery scan needs of a stored instance; binary ones are read only that far. */
  public static InstanceSummary summarize(byte[] bytes) {
    return read(
        bytes, InstanceBinaryFormat::summarize, json -> InstanceSummary.of(decodeJson(json)));
  }

  private static <T> T read(
      byte[] bytes, Function<byte[], T> fromBinary, Function<byte[], T> fromJson) {
    if (bytes.length == 0 || bytes[0] != InstanceBinaryFormat.MARKER) {
      return fromJson.apply(bytes);
    }
    try {
      return fromBinary.apply(bytes);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Cannot read a saga instance (binary format) from the store: " + e.getMessage(), e);
    }
  }

  private static SagaInstance decodeJson(byte[] bytes) {
    Envelope envelope;
    try {
      // One pass into the envelope: reading a tree first and then the instance from it cost twice.
      envelope = JSON.readValue(bytes, Envelope.class);
    } catch (IOException e) {
      int format = formatOf(bytes);
      if (format != FORMAT) {
        throw new IllegalStateException("Unknown saga instance format " + format, e);
      }
      throw new UncheckedIOException("Cannot read a saga instance from the store", e);
    }
    if (envelope.format() != FORMAT) {
      throw new IllegalStateException("Unknown saga instance format " + envelope.format());
    }
    return envelope.instance();
  }

  /** The envelope's format, or -1 when the bytes are not an envelope. */
  private static int formatOf(byte[] bytes) {
    try {
      return JSON.readTree(bytes).path("format").asInt(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  private record Envelope(int format, SagaInstance instance) {}

  private static final class SagaDataSerializer extends JsonSerializer<SagaData> {
    @Override
    public void serialize(SagaData value, JsonGenerator out, SerializerProvider provider)
        throws IOException {
      out.writeBinary(value.bytes());
    }
  }

  private static final class SagaDataDeserializer extends JsonDeserializer<SagaData> {
    @Override
    public SagaData deserialize(JsonParser in, DeserializationContext context) throws IOException {
      return SagaData.of(in.getBinaryValue());
    }
  }
}
