package io.sagastream.registry.serde;

import io.sagastream.registry.RegisteredSchema;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generic or specific Avro records in the Confluent wire format, registering or looking up
 * the writer schema as {@link SerializerOptions} say. Usable by class name in Kafka client
 * properties (then configured from {@link RegistryClientConfig} and {@link SerializerOptions}
 * property names) or constructed with a shared {@link SchemaRegistry}.
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

  private SchemaRegistry registry;
  private SerializerOptions options;
  private boolean ownsRegistry;

  /** For Kafka clients that create serializers by class name; {@link #configure} must follow. */
  public AvroSerializer() {}

  public AvroSerializer(SchemaRegistry registry, SerializerOptions options) {
    this.registry = registry;
    this.options = options;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry == null) {
      registry = new RestSchemaRegistry(RegistryClientConfig.fromProperties(configs));
      ownsRegistry = true;
      options = SerializerOptions.fromProperties(configs, isKey);
    }
  }

  @Override
  public byte[] serialize(String topic, T value) {
    if (value == null) {
      return null;
    }
    Schema schema = value.getSchema();
    String subject = options.subjectNameStrategy().subject(topic, options.isKey(), schema);
    try {
      if (options.useLatestVersion()) {
        RegisteredSchema latest = registry.latest(subject);
        return ConfluentWireFormat.frame(latest.id(), encodeAs(latest, value, schema));
      }
      int id =
          options.autoRegister()
              ? registry.register(subject, schema)
              : registry.lookup(subject, schema).id();
      return ConfluentWireFormat.frame(id, encode(schema, value));
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "Cannot serialize a "
              + schema.getFullName()
              + " to topic '"
              + topic
              + "': "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    if (ownsRegistry) {
      registry.close();
    }
  }

  private byte[] encodeAs(RegisteredSchema latest, T value, Schema own) {
    Schema target = latest.schema();
    if (SchemaNormalization.parsingFingerprint64(target)
        == SchemaNormalization.parsingFingerprint64(own)) {
      return encode(own, value);
    }
    var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(target, own);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new SerializationException(
          "The latest version of subject '"
              + latest.subject()
              + "' (version "
              + latest.version()
              + ", id "
              + latest.id()
              + ") cannot hold a "
              + own.getFullName()
              + ": "
              + compatibility.getDescription());
    }
    try {
      // Resolve the record into the latest schema's shape, then write it with that schema.
      byte[] ownBytes = encode(own, value);
      var reader = new GenericDatumReader<Object>(own, target, GenericData.get());
      Object converted = reader.read(null, DecoderFactory.get().binaryDecoder(ownBytes, null));
      return write(new GenericDatumWriter<>(target, GenericData.get()), converted);
    } catch (IOException e) {
      throw new SerializationException(
          "Cannot convert to the latest schema of " + latest.subject(), e);
    }
  }

  private static byte[] encode(Schema schema, Object value) {
    DatumWriter<Object> writer =
        value instanceof SpecificRecord
            ? new SpecificDatumWriter<>(schema)
            : new GenericDatumWriter<>(schema, GenericData.get());
    return write(writer, value);
  }

  private static byte[] write(DatumWriter<Object> writer, Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot encode a record as Avro: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }
}
