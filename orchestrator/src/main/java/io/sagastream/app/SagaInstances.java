package io.sagastream.app;

import io.sagastream.codec.InstanceCodec;
import io.sagastream.engine.SagaInstance;
import io.sagastream.topology.InstanceKeys;
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

/**
 * Saga instances in this node's stores (active, and standby replicas during a rebalance). Keys this
 * node does not hold are not here: the service issue's forwarding to the owning node builds on
 * this.
 */
@Singleton
final class SagaInstances {

  private final KafkaStreams streams;

  SagaInstances(KafkaStreams streams) {
    this.streams = streams;
  }

  List<SagaInstance> onKey(String key) {
    List<SagaInstance> found = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> entries =
        store().prefixScan(InstanceKeys.prefix(key), new StringSerializer())) {
      entries.forEachRemaining(entry -> found.add(decode(entry.key, entry.value)));
    }
    return found;
  }

  Optional<SagaInstance> of(String key, String definition) {
    String storeKey = InstanceKeys.key(key, definition);
    return Optional.ofNullable(store().get(storeKey)).map(bytes -> decode(storeKey, bytes));
  }

  static SagaInstance decode(String storeKey, byte[] bytes) {
    try {
      return InstanceCodec.decode(bytes);
    } catch (RuntimeException e) {
      throw new UnreadableInstanceException(storeKey, e);
    }
  }

  private ReadOnlyKeyValueStore<String, byte[]> store() {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
                TopologyNames.INSTANCE_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore())
            .enableStaleStores());
  }
}
