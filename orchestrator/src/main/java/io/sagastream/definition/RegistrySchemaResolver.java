package io.sagastream.definition;

import io.sagastream.registry.RegistryUnavailableException;
import io.sagastream.registry.SchemaNotFoundException;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.SchemaRegistryException;
import org.apache.avro.Schema;

/**
 * Resolves a definition's schemas: inline ones as they are, subjects from the registry (a version,
 * or the latest). A subject or version the registry lacks is a definition error; a registry that
 * does not answer is not, and its exception passes through.
 */
public final class RegistrySchemaResolver implements SchemaResolver {

  private final SchemaRegistry registry;

  public RegistrySchemaResolver(SchemaRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Schema resolve(SchemaSource source) {
    if (source instanceof SchemaSource.Inline inline) {
      return inline.schema();
    }
    return fromRegistry((SchemaSource.FromRegistry) source);
  }

  private Schema fromRegistry(SchemaSource.FromRegistry source) {
    try {
      return source.version().isPresent()
          ? registry.version(source.subject(), source.version().get()).schema()
          : registry.latest(source.subject()).schema();
    } catch (SchemaNotFoundException e) {
      throw new IllegalArgumentException(
          "subject '"
              + source.subject()
              + "'"
              + source.version().map(v -> " version " + v).orElse("")
              + " is not in the schema registry ("
              + e.getMessage()
              + ")",
          e);
    } catch (RegistryUnavailableException e) {
      throw e;
    } catch (SchemaRegistryException e) {
      // A registry refusing the name itself (a 400 or 422 for a subject it cannot hold).
      throw new IllegalArgumentException(
          "the schema registry refused subject '" + source.subject() + "': " + e.getMessage(), e);
    }
  }
}
