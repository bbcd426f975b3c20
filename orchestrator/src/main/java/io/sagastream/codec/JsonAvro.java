package io.sagastream.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
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

  /**
   * The record as a JSON tree (for showing saga data), in the form {@link #toRecord} reads: bytes
   * and fixed as base64, a union's value as the value. Avro's own text form writes bytes as
   * characters, which a caller could not send back. What does not read back as it was: see
   * docs/decisions.md, "JSON input is plain JSON".
   */
  public static JsonNode toJson(GenericRecord record) {
    return json(record, record.getSchema());
  }

  private static JsonNode json(Object value, Schema schema) {
    if (value == null) {
      return NullNode.getInstance();
    }
    switch (schema.getType()) {
      case UNION:
        return json(value, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)));
      case RECORD:
        GenericRecord record = (GenericRecord) value;
        ObjectNode object = JSON.createObjectNode();
        for (Schema.Field field : schema.getFields()) {
          object.set(field.name(), json(record.get(field.pos()), field.schema()));
        }
        return object;
      case ARRAY:
        ArrayNode array = JSON.createArrayNode();
        for (Object item : (Collection<?>) value) {
          array.add(json(item, schema.getElementType()));
        }
        return array;
      case MAP:
        ObjectNode map = JSON.createObjectNode();
        ((Map<?, ?>) value)
            .forEach((key, item) -> map.set(key.toString(), json(item, schema.getValueType())));
        return map;
      case BYTES:
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return TextNode.valueOf(Base64.getEncoder().encodeToString(bytes));
      case FIXED:
        return TextNode.valueOf(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
      case INT:
        return IntNode.valueOf((Integer) value);
      case LONG:
        return LongNode.valueOf((Long) value);
      case FLOAT:
        return finite(((Float) value).doubleValue(), FloatNode.valueOf((Float) value));
      case DOUBLE:
        return finite((Double) value, DoubleNode.valueOf((Double) value));
      case BOOLEAN:
        return BooleanNode.valueOf((Boolean) value);
      default:
        // strings and enum symbols
        return TextNode.valueOf(value.toString());
    }
  }

  /** JSON has no NaN or infinity: those are shown as text, as Avro's own JSON does. */
  private static JsonNode finite(double value, JsonNode number) {
    return Double.isFinite(value) ? number : TextNode.valueOf(Double.toString(value));
  }

  /**
   * The branches of a union in the order a JSON value is tried against them: as declared, except
   * that the ones that would take a value less faithfully come last (a double before a float, and
   * bytes, which take any text that happens to be base64, after everything else).
   */
  private static List<Schema> byFidelity(Schema union) {
    List<Schema> branches = new ArrayList<>(union.getTypes());
    branches.sort(Comparator.comparingInt(JsonAvro::looseness));
    return branches;
  }

  private static int looseness(Schema branch) {
    switch (branch.getType()) {
      case DOUBLE:
        return 1;
      case FLOAT:
        return 2;
      case BYTES:
      case FIXED:
        return 3;
      default:
        return 0;
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
        for (Schema branch : byFidelity(schema)) {
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
