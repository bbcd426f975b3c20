package io.sagastream.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The schema registry as Sagastream uses it: the Confluent Schema Registry REST API, whoever serves
 * it (Confluent, Apicurio's ccompat API, Redpanda, Karapace). Every failure is a {@link
 * SchemaRegistryException} that names the subject and carries the registry's own message.
 *
 * <p>Schemas are canonicalized before they are sent (compact JSON, Java-only properties removed),
 * so the same schema from a generated class and from an .avsc file is one schema to the registry.
 * Do not rely on ids being equal across subjects: some registries (Apicurio) give the same schema
 * under two subjects two ids.
 */
public interface SchemaRegistry extends AutoCloseable {

  /** Registers {@code schema} under {@code subject} (or finds it registered) and returns its id. */
  int register(String subject, Schema schema);

  /**
   * The id of {@code schema} as already registered under {@code subject}.
   *
   * @throws SchemaNotFoundException if the subject does not hold that schema
   */
  RegisteredSchema lookup(String subject, Schema schema);

  /** The schema with a registry id, as written by some producer. */
  Schema schemaById(int id);

  /** The newest version registered under {@code subject}. */
  RegisteredSchema latest(String subject);

  /** One version of {@code subject}. */
  RegisteredSchema version(String subject, int version);

  /** The version numbers registered under {@code subject}, oldest first. */
  List<Integer> versions(String subject);

  /** Every subject the registry holds. */
  List<String> subjects();

  /**
   * Whether {@code schema} could be registered under {@code subject}, with the registry's reasons.
   */
  CompatibilityCheck checkCompatibility(String subject, Schema schema);

  /** The compatibility level of {@code subject}, or the global one when it has none of its own. */
  CompatibilityLevel compatibility(String subject);

  /** Sets the compatibility level of {@code subject}. */
  void setCompatibility(String subject, CompatibilityLevel level);

  /** Sets the registry-wide default compatibility level. */
  void setGlobalCompatibility(CompatibilityLevel level);

  /** Releases the HTTP client's resources; the default does nothing. */
  @Override
  default void close() {}
}
