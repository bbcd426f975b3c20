package io.sagastream.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Plain JSON to and from Avro records, the way people write JSON: a union value is just the value
 * (not Avro-JSON's {"type": value} wrapper), bytes are base64, missing fields take their defaults.
 */
public final class JsonAvro {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Thrown for JSON that does not fit the schema, with the path of the first field that does not.
   */
  public static final class MismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String path;

    MismatchException(String path, String message) {
      super(path + ": " + message);
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  private JsonAvro() {}

  public static GenericRecord toRecord(JsonNode json, Schema schema, String path) {
    Object value = convert(json, schema, path);
    if (!(value instanceof GenericRecord record)) {
      throw new MismatchException(path, "must be an object");
    }
    return record;
  }

  /** The record as a JSON tree (for showing saga data). */
  public static JsonNode toJson(GenericRecord record) {
    try {
      return JSON.readTree(GenericData.get().toString(record));
    } catch (IOException e) {
      throw new IllegalStateException("Avro wrote JSON that does not read back", e);
    }
  }

  private static Object convert(JsonNode json, Schema schema, String path) {
    switch (schema.getType()) {
      case NULL:
        if (json == null || json.isNull()) {
          return null;
        }
        throw new MismatchException(path, "must be null");
      case UNION:
        for (Schema branch : schema.getTypes()) {
          try {
            return convert(json, branch, path);
          } catch (MismatchException notThisBranch) {
            // try the next branch
          }
        }
        throw new MismatchException(path, "fits none of " + schema.getTypes());
      default:
        break;
    }
    if (json == null || json.isNull()) {
      throw new MismatchException(path, "must not be null (" + schema.getType() + ")");
    }
    switch (schema.getType()) {
      case BOOLEAN:
        return require(json.isBoolean(), json.asBoolean(), path, "a boolean");
      case INT:
        return require(json.isInt(), json.asInt(), path, "a whole number (int)");
      case LONG:
        return require(
            json.canConvertToLong() && json.isIntegralNumber(),
            json.asLong(),
            path,
            "a whole number");
      case FLOAT:
        return require(json.isNumber(), (float) json.asDouble(), path, "a number");
      case DOUBLE:
        return require(json.isNumber(), json.asDouble(), path, "a number");
      case STRING:
        return require(json.isTextual(), json.asText(), path, "a string");
      case BYTES:
        if (!json.isTextual()) {
          throw new MismatchException(path, "must be base64 text");
        }
        try {
          return ByteBuffer.wrap(Base64.getDecoder().decode(json.asText()));
        } catch (IllegalArgumentException notBase64) {
          throw new MismatchException(path, "must be base64 text: " + notBase64.getMessage());
        }
      case ENUM:
        if (!json.isTextual() || !schema.getEnumSymbols().contains(json.asText())) {
          throw new MismatchException(path, "must be one of " + schema.getEnumSymbols());
        }
        return new GenericData.EnumSymbol(schema, json.asText());
      case ARRAY:
        if (!json.isArray()) {
          throw new MismatchException(path, "must be an array");
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
          items.add(convert(json.get(i), schema.getElementType(), path + "[" + i + "]"));
        }
        return new GenericData.Array<>(schema, items);
      case MAP:
        if (!json.isObject()) {
          throw new MismatchException(path, "must be an object");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        json.fields()
            .forEachRemaining(
                e ->
                    map.put(
                        e.getKey(),
                        convert(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
        return map;
      case RECORD:
        if (!json.isObject()) {
          throw new MismatchException(path, "must be an object");
        }
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
          JsonNode value = json.get(field.name());
          String at = path + "." + field.name();
          if (value == null) {
            if (!field.hasDefaultValue()) {
              throw new MismatchException(at, "is required");
            }
            record.put(field.pos(), GenericData.get().getDefaultValue(field));
          } else {
            record.put(field.pos(), convert(value, field.schema(), at));
          }
        }
        for (var names = json.fieldNames(); names.hasNext(); ) {
          String name = names.next();
          if (schema.getField(name) == null) {
            throw new MismatchException(
                path + "." + name, "is not a field of " + schema.getFullName());
          }
        }
        return record;
      case FIXED:
      default:
        throw new MismatchException(path, schema.getType() + " is not supported in JSON input");
    }
  }

  private static Object require(boolean fits, Object value, String path, String what) {
    if (!fits) {
      throw new MismatchException(path, "must be " + what);
    }
    return value;
  }
}
