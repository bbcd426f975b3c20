package io.sagastream.codec;

import io.sagastream.definition.DefinitionFit;
import io.sagastream.registry.serde.ConfluentWireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * The saga data's Avro work that the engine leaves out: the data travels in the engine as plain
 * Avro binary of the definition's data schema; a command is that record read with the command's
 * schema (schema resolution: fields by name, defaults for the rest); a reply's fields are written
 * over the data's fields of the same name.
 */
public final class SagaDataCodec {

  /**
   * Command readers by command and data schema. Making one parses the command schema again, and a
   * new reader each time also defeats Avro's per-schema-pair cache of resolving grammars and the
   * registry client's cache: both cost more per step than everything else the step does.
   */
  private static final Map<SchemaPair, Schema> READERS = new ConcurrentHashMap<>();

  private static final int CACHE_LIMIT = 1_000;

  /**
   * Datum readers by writer and reader schema, per thread. A new reader builds its resolving reader
   * tree again on first use (Avro's FastReaderBuilder), which cost more than the read itself.
   */
  private static final ThreadLocal<Map<SchemaPair, GenericDatumReader<GenericRecord>>>
      DATUM_READERS = ThreadLocal.withInitial(HashMap::new);

  private static final ThreadLocal<Map<Schema, GenericDatumWriter<GenericRecord>>> DATUM_WRITERS =
      ThreadLocal.withInitial(IdentityHashMap::new);

  /** Single-field wrapper records by field schema, for converting one value by resolution. */
  private static final ThreadLocal<Map<Schema, Schema>> WRAPPERS =
      ThreadLocal.withInitial(IdentityHashMap::new);

  /**
   * Two schemas, compared by identity: they come from caches (the deployed definition, the registry
   * client), and comparing two equal schemas field by field on every lookup cost as much as a read.
   * Each task holds its own copies of a definition's schemas, so a pair is cached once per task.
   */
  private record SchemaPair(Schema first, Schema second) {
    @Override
    public boolean equals(Object other) {
      return other instanceof SchemaPair that && first == that.first && second == that.second;
    }

    @Override
    public int hashCode() {
      return 31 * System.identityHashCode(first) + System.identityHashCode(second);
    }
  }

  private SagaDataCodec() {}

  /** The Avro binary of {@code record}, written with {@code schema}. */
  public static byte[] encode(Schema schema, GenericRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    write(schema, record, out);
    return out.toByteArray();
  }

  /**
   * The record in the Confluent wire format for schema {@code schemaId}: header and body written
   * into one buffer rather than the body copied behind the header.
   */
  public static byte[] framed(int schemaId, Schema schema, GenericRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    ConfluentWireFormat.writeHeader(out, schemaId);
    write(schema, record, out);
    return out.toByteArray();
  }

  private static void write(Schema schema, GenericRecord record, ByteArrayOutputStream out) {
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer(schema).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads Avro binary written with {@code writer} as a record shaped by {@code reader}. */
  public static GenericRecord decode(byte[] bytes, Schema writer, Schema reader) {
    try {
      return reader(writer, reader).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    } catch (IOException e) {
      throw new UncheckedIOException("Saga data does not match its schema", e);
    }
  }

  private static GenericDatumWriter<GenericRecord> writer(Schema schema) {
    return cached(DATUM_WRITERS.get(), schema, s -> new GenericDatumWriter<>(s, GenericData.get()));
  }

  private static GenericDatumReader<GenericRecord> reader(Schema writer, Schema reader) {
    return cached(
        DATUM_READERS.get(),
        new SchemaPair(writer, reader),
        pair -> new GenericDatumReader<>(pair.first(), pair.second(), GenericData.get()));
  }

  /**
   * The cached value for {@code key}, made on a miss. The cache is emptied when full rather than
   * grown: schemas come and go with deployed definitions, and a few misses cost little.
   */
  private static <K, V> V cached(Map<K, V> cache, K key, Function<K, V> make) {
    V value = cache.get(key);
    if (value == null) {
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
      value = make.apply(key);
      cache.put(key, value);
    }
    return value;
  }

  /** The command record of a step: the saga data resolved into the command's schema. */
  public static GenericRecord command(byte[] data, Schema dataSchema, Schema commandSchema) {
    return decode(data, dataSchema, commandReader(commandSchema, dataSchema));
  }

  private static Schema commandReader(Schema commandSchema, Schema dataSchema) {
    return cached(
        READERS,
        new SchemaPair(commandSchema, dataSchema),
        pair -> DefinitionFit.commandReader(pair.first(), pair.second()));
  }

  /**
   * The saga data with {@code reply}'s fields written over the fields of the same name; fields the
   * data lacks are left out (the deploy check refuses declared replies that have any).
   */
  public static byte[] merge(byte[] data, Schema dataSchema, GenericRecord reply) {
    GenericRecord merged = decode(data, dataSchema, dataSchema);
    for (Schema.Field field : reply.getSchema().getFields()) {
      Schema.Field target = dataSchema.getField(field.name());
      if (target != null) {
        merged.put(target.pos(), convert(reply.get(field.pos()), field.schema(), target.schema()));
      }
    }
    return encode(dataSchema, merged);
  }

  /** Converts a value by Avro resolution (int to long, a record of another version, ...). */
  private static Object convert(Object value, Schema from, Schema to) {
    if (from.equals(to)) {
      return value;
    }
    Schema wrapperFrom = wrapper(from);
    Schema wrapperTo = wrapper(to);
    GenericRecord holder = new GenericData.Record(wrapperFrom);
    holder.put(0, value);
    return decode(encode(wrapperFrom, holder), wrapperFrom, wrapperTo).get(0);
  }

  private static Schema wrapper(Schema fieldSchema) {
    return cached(WRAPPERS.get(), fieldSchema, SagaDataCodec::newWrapper);
  }

  private static Schema newWrapper(Schema fieldSchema) {
    return Schema.createRecord(
        "Value",
        null,
        "io.sagastream.codec.internal",
        false,
        java.util.List.of(new Schema.Field("value", fieldSchema)));
  }
}
