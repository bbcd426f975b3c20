package io.sagastream.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.sagastream.topology.InstanceKeys;
import java.util.Optional;

/**
 * Saga keys, request ids and message ids as the API takes them: text of at most {@link #LONGEST}
 * characters without control characters. A key goes into Kafka records twice (as the key and in the
 * value), so a key near the body limit made a record the producer refused, and a NUL is the
 * instance store's separator between key and definition, so a key holding one read other keys'
 * sagas.
 */
final class Identifiers {

  static final int LONGEST = InstanceKeys.LONGEST_PART;

  private Identifiers() {}

  /** The field's identifier; a 400 naming the field when it is missing or not one. */
  static String required(JsonNode node, String field) {
    return checked(field, SagasController.text(node, field));
  }

  /** The field's identifier when it is there (and not null); a 400 when it is not one. */
  static Optional<String> optional(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(required(node, field));
  }

  /** {@code value} when it is an identifier; a 400 naming {@code field} when it is not. */
  static String checked(String field, String value) {
    if (value.length() > LONGEST) {
      throw new BadRequestException(
          field, field + " must be at most " + LONGEST + " characters, not " + value.length());
    }
    if (!InstanceKeys.fitsStoreKey(value)) {
      throw new BadRequestException(field, field + " must not contain control characters");
    }
    return value;
  }
}
