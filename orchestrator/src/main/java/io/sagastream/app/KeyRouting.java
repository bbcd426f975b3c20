package io.sagastream.app;

import io.micronaut.context.annotation.Value;
import io.sagastream.topology.TopologyNames;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which node holds a saga key's instances: Kafka Streams knows each key's partition and the node
 * (its {@code application.server}) that runs it, and the nodes that keep standby replicas of it.
 * Calls about a key are answered by its owner; by a standby when the owner does not answer.
 */
@Singleton
final class KeyRouting {

  /**
   * Where a call about a key is answered.
   *
   * @param local this node answers: it owns the key, runs alone, or no owner is known (rebalance)
   * @param standbys the nodes with a standby replica of the key's partition, this one included
   */
  record Route(boolean local, HostInfo owner, List<HostInfo> standbys) {}

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

  boolean isSelf(HostInfo host) {
    return (host.host() + ":" + host.port()).equals(self);
  }

  Route route(String key) {
    if (self.isBlank()) {
      return new Route(true, null, List.of());
    }
    KeyQueryMetadata metadata = metadata(key);
    if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
      return new Route(true, null, List.of());
    }
    HostInfo owner = metadata.activeHost();
    return new Route(isSelf(owner), owner, List.copyOf(metadata.standbyHosts()));
  }

  /** Whether this node runs the key's partition, as its active task or as a standby. */
  boolean holds(String key) {
    Route route = route(key);
    return route.local() || route.standbys().stream().anyMatch(this::isSelf);
  }

  /**
   * True when this node's answer about {@code key} is current: it runs the key's partition as its
   * active task. Otherwise it answers from a standby replica, which may lag.
   */
  boolean answersCurrent(String key) {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return false;
    }
    if (self.isBlank()) {
      return true;
    }
    KeyQueryMetadata metadata = metadata(key);
    return metadata != null
        && metadata != KeyQueryMetadata.NOT_AVAILABLE
        && isSelf(metadata.activeHost());
  }

  /** The other nodes of the group, as they published themselves. */
  List<HostInfo> peers() {
    if (self.isBlank()) {
      return List.of();
    }
    return streams.metadataForAllStreamsClients().stream()
        .map(StreamsMetadata::hostInfo)
        .filter(host -> !isSelf(host))
        .distinct()
        .toList();
  }

  private KeyQueryMetadata metadata(String key) {
    return streams.queryMetadataForKey(TopologyNames.INSTANCE_STORE, key, new StringSerializer());
  }
}
