package io.sagastream.app;

import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.registry.serde.UnreadableRecordException;
import io.sagastream.topology.DefinitionKeys;
import io.sagastream.topology.SagaTopics;
import io.sagastream.topology.TopologyNames;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The deployed definitions as this node's global store holds them: every node has all of them. */
@Singleton
final class DeployedDefinitions {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DeployedDefinitions.class);

  private final KafkaStreams streams;
  private final AvroDeserializer<DeployedDefinition> deserializer;
  private final String topic;

  DeployedDefinitions(KafkaStreams streams, SchemaRegistry registry, SagaTopics topics) {
    this.streams = streams;
    this.deserializer = AvroDeserializer.specific(registry, DeployedDefinition.class);
    this.topic = topics.definitions();
  }

  /**
   * Every deployed version this node can read. One it cannot (a record written to the definitions
   * topic by something else than a node) is left out with a warning, rather than failing the list
   * and every message call that reads it.
   */
  List<DeployedDefinition> all() {
    List<DeployedDefinition> all = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> entries = store().all()) {
      while (entries.hasNext()) {
        var entry = entries.next();
        try {
          all.add(deserializer.deserialize(topic, entry.value));
        } catch (UnreadableRecordException e) {
          LOG.warn("Deployed definition '{}' cannot be read: {}", entry.key, e.getMessage());
        }
      }
    }
    return all;
  }

  Optional<DeployedDefinition> version(String name, int version) {
    byte[] bytes = store().get(DefinitionKeys.key(name, version));
    return Optional.ofNullable(bytes).map(b -> deserializer.deserialize(topic, b));
  }

  Optional<DeployedDefinition> latest(String name) {
    byte[] last = null;
    try (KeyValueIterator<String, byte[]> versions =
        store().prefixScan(DefinitionKeys.prefix(name), new StringSerializer())) {
      while (versions.hasNext()) {
        last = versions.next().value;
      }
    }
    return Optional.ofNullable(last).map(b -> deserializer.deserialize(topic, b));
  }

  private ReadOnlyKeyValueStore<String, byte[]> store() {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
            TopologyNames.DEFINITION_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
  }
}
