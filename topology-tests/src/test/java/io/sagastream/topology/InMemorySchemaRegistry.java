package io.sagastream.topology;

import io.sagastream.registry.CompatibilityCheck;
import io.sagastream.registry.CompatibilityLevel;
import io.sagastream.registry.IncompatibleSchemaException;
import io.sagastream.registry.RegisteredSchema;
import io.sagastream.registry.SchemaNotFoundException;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.SchemaText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * A registry in memory, for topology tests under TopologyTestDriver, which has no network. It keeps
 * subjects, versions and ids like a real one but enforces no compatibility; the registry's own
 * behaviour is tested against Apicurio in the registry module.
 */
final class InMemorySchemaRegistry implements SchemaRegistry {

  private final Map<String, Integer> idsByText = new HashMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, List<Integer>> idsBySubject = new TreeMap<>();
  private final Map<String, Integer> registrationsLeft = new HashMap<>();

  /**
   * Lets {@code subject} take {@code allowed} more registrations, then refuses each one as an
   * incompatible schema, as a registry whose compatibility rule was tightened would; {@code -1}
   * lifts the refusal.
   */
  synchronized void refuseAfter(String subject, int allowed) {
    if (allowed < 0) {
      registrationsLeft.remove(subject);
    } else {
      registrationsLeft.put(subject, allowed);
    }
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    Integer left = registrationsLeft.get(subject);
    if (left != null) {
      if (left == 0) {
        throw new IncompatibleSchemaException("refused under " + subject, subject, 409);
      }
      registrationsLeft.put(subject, left - 1);
    }
    String text = SchemaText.canonical(schema);
    int id = idsByText.computeIfAbsent(text, t -> idsByText.size() + 1);
    schemasById.putIfAbsent(id, schema);
    List<Integer> versions = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  @Override
  public synchronized RegisteredSchema lookup(String subject, Schema schema) {
    Integer id = idsByText.get(SchemaText.canonical(schema));
    List<Integer> versions = idsBySubject.getOrDefault(subject, List.of());
    if (id == null || !versions.contains(id)) {
      throw new SchemaNotFoundException("not registered under " + subject, subject, 40403);
    }
    return new RegisteredSchema(subject, versions.indexOf(id) + 1, id, schemasById.get(id));
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaNotFoundException("no schema with id " + id, null, 40403);
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema latest(String subject) {
    return version(subject, versions(subject).size());
  }

  @Override
  public synchronized RegisteredSchema version(String subject, int version) {
    List<Integer> ids = idsBySubject.get(subject);
    if (ids == null || version < 1 || version > ids.size()) {
      throw new SchemaNotFoundException("no version " + version + " of " + subject, subject, 40402);
    }
    int id = ids.get(version - 1);
    return new RegisteredSchema(subject, version, id, schemasById.get(id));
  }

  @Override
  public synchronized List<Integer> versions(String subject) {
    List<Integer> ids = idsBySubject.get(subject);
    if (ids == null) {
      throw new SchemaNotFoundException("no subject " + subject, subject, 40401);
    }
    List<Integer> versions = new ArrayList<>();
    for (int i = 1; i <= ids.size(); i++) {
      versions.add(i);
    }
    return versions;
  }

  @Override
  public synchronized List<String> subjects() {
    return List.copyOf(idsBySubject.keySet());
  }

  @Override
  public CompatibilityCheck checkCompatibility(String subject, Schema schema) {
    return new CompatibilityCheck(subject, true, List.of());
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    return CompatibilityLevel.NONE;
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {}

  @Override
  public void setGlobalCompatibility(CompatibilityLevel level) {}
}
