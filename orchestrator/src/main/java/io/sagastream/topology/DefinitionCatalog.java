package io.sagastream.topology;

import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.registry.serde.AvroDeserializer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
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

  Optional<DeployedSaga> latest(String name) {
    String latestKey = null;
    try (KeyValueIterator<String, byte[]> versions =
        store.prefixScan(DefinitionKeys.prefix(name), new StringSerializer())) {
      while (versions.hasNext()) {
        latestKey = versions.next().key;
      }
    }
    return latestKey == null ? Optional.empty() : load(latestKey);
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
