package io.sagastream.definition;

import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Where a definition takes an Avro schema from: inline, or a registry subject at a version (empty:
 * the latest).
 */
public sealed interface SchemaSource {

  record Inline(Schema schema) implements SchemaSource {
    public Inline {
      Objects.requireNonNull(schema, "schema");
    }
  }

  record FromRegistry(String subject, Optional<Integer> version) implements SchemaSource {
    public FromRegistry {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(version, "version");
    }
  }
}
