package io.sagastream.registry.serde;

import io.sagastream.registry.RegisteredSchema;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
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

  private static final int CACHED_WRITERS = 64;
  private final Map<Schema, DatumWriter<Object>> specificWriters =
      Collections.synchronizedMap(new IdentityHashMap<>());
  private final Map<Schema, DatumWriter<Object>> genericWriters =
      Collections.synchronizedMap(new IdentityHashMap<>());

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
        return encodeAs(latest, value, schema);
      }
      int id =
          options.autoRegister()
              ? registry.register(subject, schema)
              : registry.lookup(subject, schema).id();
      return write(writer(schema, value), value, id);
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
      return write(writer(own, value), value, latest.id());
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
      ByteArrayOutputStream ownBytes = new ByteArrayOutputStream(128);
      writeBody(writer(own, value), value, ownBytes);
      var reader = new GenericDatumReader<Object>(own, target, GenericData.get());
      Object converted =
          reader.read(null, DecoderFactory.get().binaryDecoder(ownBytes.toByteArray(), null));
      return write(new GenericDatumWriter<>(target, GenericData.get()), converted, latest.id());
    } catch (IOException e) {
      throw new SerializationException(
          "Cannot convert to the latest schema of " + latest.subject(), e);
    }
  }

  /**
   * The writer for {@code schema}, made once per schema and kind of record: building one walks the
   * schema, and every record of a topic has the same one. Keyed by identity, since a schema's
   * equality and hash walk it too; a caller that builds a new schema object per record only makes
   * the cache start over.
   */
  private DatumWriter<Object> writer(Schema schema, Object value) {
    boolean specific = value instanceof SpecificRecord;
    Map<Schema, DatumWriter<Object>> writers = specific ? specificWriters : genericWriters;
    DatumWriter<Object> cached = writers.get(schema);
    if (cached != null) {
      return cached;
    }
    DatumWriter<Object> made =
        specific
            ? new SpecificDatumWriter<>(schema)
            : new GenericDatumWriter<>(schema, GenericData.get());
    synchronized (writers) {
      if (writers.size() >= CACHED_WRITERS) {
        writers.clear();
      }
      writers.put(schema, made);
    }
    return made;
  }

  /** The record framed for schema {@code schemaId}, written in one buffer with its header. */
  private static byte[] write(DatumWriter<Object> writer, Object value, int schemaId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    ConfluentWireFormat.writeHeader(out, schemaId);
    writeBody(writer, value, out);
    return out.toByteArray();
  }

  private static void writeBody(
      DatumWriter<Object> writer, Object value, ByteArrayOutputStream out) {
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot encode a record as Avro: " + e.getMessage(), e);
    }
  }
}
