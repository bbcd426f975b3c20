package io.sagastream.definition;

import io.sagastream.registry.RegisteredSchema;
import io.sagastream.registry.RegistryUnavailableException;
import io.sagastream.registry.SchemaNotFoundException;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.SchemaRegistryException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Resolves a definition's schemas: inline ones as they are, subjects from the registry (a version,
 * or the latest). A subject or version the registry lacks is a definition error; a registry that
 * does not answer is not, and its exception passes through. Each subject is asked for once, so that
 * one deploy checks and records the same version of it, even if another client registers a newer
 * one meanwhile: use one resolver per deploy.
 */
public final class RegistrySchemaResolver implements SchemaResolver {

  /**
   * What the API's refusal says of a schema the registry does not have: the definitions Job tries
   * again on it, since the schema may be registered after the Job starts.
   */
  public static final String NOT_IN_REGISTRY = "is not in the schema registry";

  private final SchemaRegistry registry;
  private final Map<SchemaSource.FromRegistry, RegisteredSchema> found = new HashMap<>();

  public RegistrySchemaResolver(SchemaRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Schema resolve(SchemaSource source) {
    if (source instanceof SchemaSource.Inline inline) {
      return inline.schema();
    }
    return registered((SchemaSource.FromRegistry) source).schema();
  }

  /** The subject's schema with its id and version, as this resolver first found it. */
  public RegisteredSchema registered(SchemaSource.FromRegistry source) {
    RegisteredSchema known = found.get(source);
    if (known == null) {
      known = fromRegistry(source);
      found.put(source, known);
    }
    return known;
  }

  private RegisteredSchema fromRegistry(SchemaSource.FromRegistry source) {
    try {
      return source.version().isPresent()
          ? registry.version(source.subject(), source.version().get())
          : registry.latest(source.subject());
    } catch (SchemaNotFoundException e) {
      throw new IllegalArgumentException(
          "subject '"
              + source.subject()
              + "'"
              + source.version().map(v -> " version " + v).orElse("")
              + " "
              + NOT_IN_REGISTRY
              + " ("
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
