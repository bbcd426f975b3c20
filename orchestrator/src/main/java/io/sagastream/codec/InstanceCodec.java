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
import io.sagastream.engine.SagaData;
import io.sagastream.engine.SagaInstance;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Saga instances in the instance store: JSON, in an envelope with a format version, so that the
 * store stays readable (and debuggable from its changelog) as the instance model grows.
 */
public final class InstanceCodec {

  /** The format this code writes; older formats are read and upgraded here when they exist. */
  public static final int FORMAT = 1;

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

  public static byte[] encode(SagaInstance instance) {
    try {
      return JSON.writeValueAsBytes(new Envelope(FORMAT, instance));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write saga instance " + instance.sagaId(), e);
    }
  }

  public static SagaInstance decode(byte[] bytes) {
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
