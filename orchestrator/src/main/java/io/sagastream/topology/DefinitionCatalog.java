package io.sagastream.topology;

import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.registry.serde.AvroDeserializer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Deployed definitions, read from the global definitions store and decoded once per version (a
 * version never changes).
 */
final class DefinitionCatalog {

  private final KeyValueStore<String, byte[]> store;
  private final AvroDeserializer<DeployedDefinition> deserializer;
  private final String topic;
  private final Map<String, DeployedSaga> decoded = new HashMap<>();

  DefinitionCatalog(
      KeyValueStore<String, byte[]> store,
      AvroDeserializer<DeployedDefinition> deserializer,
      String topic) {
    this.store = store;
    this.deserializer = deserializer;
    this.topic = topic;
  }

  Optional<DeployedSaga> version(String name, int version) {
    return load(DefinitionKeys.key(name, version));
  }

  /**
   * The latest version: the last key under the name's prefix, read backwards so that a start reads
   * one version's bytes from the store rather than every version's.
   */
  Optional<DeployedSaga> latest(String name) {
    String prefix = DefinitionKeys.prefix(name);
    try (KeyValueIterator<String, byte[]> newestFirst =
        store.reverseRange(prefix, DefinitionKeys.key(name, Integer.MAX_VALUE))) {
      return newestFirst.hasNext() ? load(newestFirst.next().key) : Optional.empty();
    }
  }

  private Optional<DeployedSaga> load(String key) {
    DeployedSaga cached = decoded.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    byte[] bytes = store.get(key);
    if (bytes == null) {
      return Optional.empty();
    }
    DeployedSaga saga = DeployedSaga.from(deserializer.deserialize(topic, bytes));
    decoded.put(key, saga);
    return Optional.of(saga);
  }
}
