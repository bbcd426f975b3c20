package io.sagastream.codec;

import io.sagastream.definition.DefinitionFit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  private static final int READER_LIMIT = 1_000;

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
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer(schema).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
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
    Map<Schema, GenericDatumWriter<GenericRecord>> writers = DATUM_WRITERS.get();
    GenericDatumWriter<GenericRecord> writer = writers.get(schema);
    if (writer == null) {
      if (writers.size() >= READER_LIMIT) {
        writers.clear();
      }
      writer = new GenericDatumWriter<>(schema, GenericData.get());
      writers.put(schema, writer);
    }
    return writer;
  }

  private static GenericDatumReader<GenericRecord> reader(Schema writer, Schema reader) {
    Map<SchemaPair, GenericDatumReader<GenericRecord>> readers = DATUM_READERS.get();
    SchemaPair key = new SchemaPair(writer, reader);
    GenericDatumReader<GenericRecord> datumReader = readers.get(key);
    if (datumReader == null) {
      if (readers.size() >= READER_LIMIT) {
        readers.clear();
      }
      datumReader = new GenericDatumReader<>(writer, reader, GenericData.get());
      readers.put(key, datumReader);
    }
    return datumReader;
  }

  /** The command record of a step: the saga data resolved into the command's schema. */
  public static GenericRecord command(byte[] data, Schema dataSchema, Schema commandSchema) {
    return decode(data, dataSchema, commandReader(commandSchema, dataSchema));
  }

  private static Schema commandReader(Schema commandSchema, Schema dataSchema) {
    SchemaPair key = new SchemaPair(commandSchema, dataSchema);
    Schema reader = READERS.get(key);
    if (reader == null) {
      if (READERS.size() >= READER_LIMIT) {
        READERS.clear();
      }
      reader = DefinitionFit.commandReader(commandSchema, dataSchema);
      READERS.put(key, reader);
    }
    return reader;
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
    Map<Schema, Schema> wrappers = WRAPPERS.get();
    Schema wrapper = wrappers.get(fieldSchema);
    if (wrapper == null) {
      if (wrappers.size() >= READER_LIMIT) {
        wrappers.clear();
      }
      wrapper = newWrapper(fieldSchema);
      wrappers.put(fieldSchema, wrapper);
    }
    return wrapper;
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
