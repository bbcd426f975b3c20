package io.sagastream.app;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;

/** The nodes of the group as Kafka Streams sees them, and this node as its peers see it. */
@Controller("/nodes")
class NodesController {

  private final KafkaStreams streams;
  private final NodeIdentity identity;
  private final PeerWatch peers;

  NodesController(KafkaStreams streams, NodeIdentity identity, PeerWatch peers) {
    this.streams = streams;
    this.identity = identity;
    this.peers = peers;
  }

  /**
   * A peer shutting down to come back (a rolling restart) says so, so that this node does not take
   * its silence for a crash.
   */
  @Post("/departures")
  HttpResponse<Map<String, Object>> departing(@Body String body) {
    String address = SagasController.text(SagasController.parse(body), "address");
    if (!peers.departing(address)) {
      throw new NotFoundException("no peer of this group has the address given");
    }
    return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED)
        .body(Map.of("address", address));
  }

  /** Every node with the partitions it runs, active and standby. */
  @Get
  List<Map<String, Object>> all() {
    return streams.metadataForAllStreamsClients().stream()
        .sorted(Comparator.comparing(m -> m.host() + ":" + m.port()))
        .map(NodesController::node)
        .toList();
  }

  /** This node: address, static-membership id, Kafka Streams process id and state. */
  @Get("/self")
  NodeIdentity.Self self() {
    return identity.self();
  }

  private static Map<String, Object> node(StreamsMetadata metadata) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("address", metadata.host() + ":" + metadata.port());
    node.put("active", partitions(metadata.topicPartitions()));
    node.put("standby", partitions(metadata.standbyTopicPartitions()));
    return node;
  }

  private static List<String> partitions(java.util.Set<TopicPartition> partitions) {
    return partitions.stream()
        .sorted(
            Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition))
        .map(p -> p.topic() + "-" + p.partition())
        .toList();
  }
}
