package io.sagastream.registry.serde;

import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaNotFoundException;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.UnreadableRecordException.Reason;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro records in the Confluent wire format. The writer schema comes from the registry by the
 * id in the header and is resolved to the reader schema: a generated class's schema, a given
 * schema, or the writer's own. Bytes that cannot be read raise {@link UnreadableRecordException}
 * with the reason; a null value (a tombstone) reads as null.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

  /** Property for by-class-name use: read into generated classes (true) or generic records. */
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

  static {
    AvroLimits.install();
  }

  private SchemaRegistry registry;
  private boolean ownsRegistry;
  private ReaderChoice readerChoice;
  private final Map<ReaderKey, DatumReader<T>> readers = new ConcurrentHashMap<>();

  /** For Kafka clients that create deserializers by class name; {@link #configure} must follow. */
  public AvroDeserializer() {}

  private AvroDeserializer(SchemaRegistry registry, ReaderChoice readerChoice) {
    this.registry = registry;
    this.readerChoice = readerChoice;
  }

  /** Reads into the generated class {@code type}, resolving whatever schema the writer used. */
  public static <T extends SpecificRecord> AvroDeserializer<T> specific(
      SchemaRegistry registry, Class<T> type) {
    return new AvroDeserializer<>(
        registry, new ReaderChoice(true, SpecificData.get().getSchema(type)));
  }

  /** Reads generic records shaped as their writer wrote them. */
  public static <T> AvroDeserializer<T> generic(SchemaRegistry registry) {
    return new AvroDeserializer<>(registry, new ReaderChoice(false, null));
  }

  /**
   * Reads generic records shaped as {@code readerSchema}, resolving whatever schema the writer
   * used.
   */
  public static <T> AvroDeserializer<T> generic(SchemaRegistry registry, Schema readerSchema) {
    return new AvroDeserializer<>(registry, new ReaderChoice(false, readerSchema));
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry == null) {
      registry = new RestSchemaRegistry(RegistryClientConfig.fromProperties(configs));
      ownsRegistry = true;
      readerChoice =
          new ReaderChoice(SerializerOptions.flag(configs, SPECIFIC_AVRO_READER, false), null);
    }
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    ConfluentWireFormat.Framed framed = ConfluentWireFormat.unframe(topic, bytes);
    int id = framed.schemaId();
    DatumReader<T> reader =
        readers.computeIfAbsent(new ReaderKey(topic, id), key -> readerFor(key));
    var body = framed.body();
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                body.array(), body.arrayOffset() + body.position(), body.remaining(), null);
    T value;
    try {
      value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new UnreadableRecordException(
            Reason.CORRUPT_BODY, topic, id, "bytes left over after the record", null);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof UnreadableRecordException unreadable) {
        throw unreadable;
      }
      throw new UnreadableRecordException(
          Reason.CORRUPT_BODY, topic, id, "the Avro body does not match its schema: " + e, e);
    } catch (StackOverflowError e) {
      // A schema that nests itself lets a few bytes per level nest deeper than any stack, and an
      // Error would pass every handler and fail the thread on the same record again and again.
      throw new UnreadableRecordException(
          Reason.CORRUPT_BODY,
          topic,
          id,
          "the Avro body nests deeper than the reader's stack",
          null);
    }
    return value;
  }

  @Override
  public void close() {
    if (ownsRegistry) {
      registry.close();
    }
  }

  private DatumReader<T> readerFor(ReaderKey key) {
    Schema writer;
    try {
      writer = registry.schemaById(key.schemaId());
    } catch (SchemaNotFoundException e) {
      throw new UnreadableRecordException(
          Reason.UNKNOWN_SCHEMA_ID, key.topic(), key.schemaId(), e.getMessage(), e);
    }
    Schema reader = readerChoice.readerSchemaFor(writer, key);
    var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new UnreadableRecordException(
          Reason.INCOMPATIBLE_SCHEMA,
          key.topic(),
          key.schemaId(),
          "a " + reader.getFullName() + " reader cannot read it: " + compatibility.getDescription(),
          null);
    }
    return readerChoice.specific()
        ? new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader))
        : new GenericDatumReader<>(writer, reader, GenericData.get());
  }

  /** Which schema records are read as, and whether into generated classes. */
  private record ReaderChoice(boolean specific, Schema fixedReader) {

    Schema readerSchemaFor(Schema writer, ReaderKey key) {
      if (fixedReader != null) {
        return fixedReader;
      }
      if (specific && SpecificData.get().getClass(writer) == null) {
        throw new UnreadableRecordException(
            Reason.INCOMPATIBLE_SCHEMA,
            key.topic(),
            key.schemaId(),
            "no generated class for " + writer.getFullName() + " on the classpath",
            null);
      }
      return specific ? SpecificData.get().getSchema(SpecificData.get().getClass(writer)) : writer;
    }
  }

  /** Readers are cached per topic as well as id, so errors name the topic they happened on. */
  private record ReaderKey(String topic, int schemaId) {}
}
