package io.sagastream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Turns schemas into the text the registry stores and back. The text is canonical (Avro's compact
 * JSON, without the {@code avro.java.string} hint that generated classes add), so that a schema
 * from a class and the same schema from an .avsc file are one schema to the registry, whose ids may
 * follow the text.
 */
public final class SchemaText {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JAVA_STRING_HINT = "avro.java.string";

  private SchemaText() {}

  /** The canonical text of {@code schema}. */
  public static String canonical(Schema schema) {
    try {
      JsonNode tree = JSON.readTree(schema.toString());
      return JSON.writeValueAsString(withoutJavaHints(tree));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException("Avro wrote a schema Jackson cannot read", e);
    }
  }

  /**
   * Parses schema text from the registry; defaults are validated, so a schema with a default that
   * does not fit its type is refused here rather than when a record is read.
   */
  public static Schema parse(String text) {
    try {
      return new Schema.Parser().setValidateDefaults(true).parse(text);
    } catch (SchemaParseException | AvroTypeException e) {
      throw new IllegalArgumentException("Not a valid Avro schema: " + e.getMessage(), e);
    }
  }

  private static JsonNode withoutJavaHints(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(JAVA_STRING_HINT);
      object.properties().forEach(entry -> entry.setValue(withoutJavaHints(entry.getValue())));
      // {"type": "string"} alone is what the hint left behind: the plain name says the same.
      if (object.size() == 1 && object.has("type") && object.get("type").isTextual()) {
        return object.get("type");
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, withoutJavaHints(array.get(i)));
      }
    }
    return node;
  }
}
