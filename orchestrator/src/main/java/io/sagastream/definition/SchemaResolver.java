package io.sagastream.definition;

import org.apache.avro.Schema;

/** Turns a definition's {@link SchemaSource} into a schema (a registry lookup for subjects). */
@FunctionalInterface
public interface SchemaResolver {

  /**
   * @throws IllegalArgumentException with a message for people when the source cannot be resolved
   */
  Schema resolve(SchemaSource source);
}
