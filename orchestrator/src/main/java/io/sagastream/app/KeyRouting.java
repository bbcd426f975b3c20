package io.sagastream.app;

import io.micronaut.context.annotation.Value;
import io.sagastream.topology.TopologyNames;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which node holds a saga key's instances: Kafka Streams knows each key's partition and the node
 * (its {@code application.server}) that runs it. Calls about a key are answered there.
 */
@Singleton
final class KeyRouting {

  /** Where a call about a key is answered. */
  record Route(boolean local, HostInfo owner) {}

  private final KafkaStreams streams;
  private final String self;

  KeyRouting(
      KafkaStreams streams,
      @Value("${kafka.streams.default.application.server:}") String applicationServer) {
    this.streams = streams;
    this.self = applicationServer;
  }

  /** This node's host:port as other nodes reach it, or empty when it runs alone. */
  Optional<String> self() {
    return self.isBlank() ? Optional.empty() : Optional.of(self);
  }

  Route route(String key) {
    if (self.isBlank()) {
      return new Route(true, null);
    }
    KeyQueryMetadata metadata =
        streams.queryMetadataForKey(TopologyNames.INSTANCE_STORE, key, new StringSerializer());
    if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
      return new Route(true, null);
    }
    HostInfo owner = metadata.activeHost();
    boolean local = (owner.host() + ":" + owner.port()).equals(self);
    return new Route(local, owner);
  }
}
