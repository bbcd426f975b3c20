package io.sagastream.definition;

import java.util.Objects;
import java.util.Optional;

/**
 * A command of a step as declared: the participant's topic, the schema the command is read with
 * (the saga data is resolved into it), and optionally the reply's schema, whose fields merge into
 * the data.
 */
public record CommandSpec(String topic, SchemaSource schema, Optional<SchemaSource> reply) {

  public CommandSpec {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(reply, "reply");
  }
}
