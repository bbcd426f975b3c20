package io.sagastream.app;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.Optional;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes Kafka Streams when the application stops (SIGTERM included): the stream threads commit and
 * the stores close with their checkpoints, so a restart does not restore from the changelog. The
 * node leaves the group, so that its partitions move to its standbys at once, unless it is a static
 * member told not to hand off: that one stays in the group and gets its partitions back on restart
 * without a rebalance, and they wait for it meanwhile.
 */
@Context
final class NodeShutdown {

  private static final Logger LOG = LoggerFactory.getLogger(NodeShutdown.class);

  private final KafkaStreams streams;
  private final OrchestratorSettings settings;
  private final PeerWatch peers;
  private final KeyRouting routing;
  private final NodeIdentity identity;

  NodeShutdown(
      KafkaStreams streams,
      OrchestratorSettings settings,
      PeerWatch peers,
      KeyRouting routing,
      NodeIdentity identity) {
    this.streams = streams;
    this.settings = settings;
    this.peers = peers;
    this.routing = routing;
    this.identity = identity;
  }

  @PreDestroy
  void close() {
    boolean staticMember = !settings.getGroupInstanceId().isBlank();
    boolean leaving = !staticMember || settings.isHandOffOnShutdown();
    Optional<String> processId = Optional.empty();
    if (staticMember) {
      try {
        processId = identity.processId();
        // Peers would take a silent static member for dead, take it out of the group and fence
        // the transaction it commits while it closes.
        routing.self().ifPresent(peers::announceDeparture);
      } catch (RuntimeException e) {
        // Kafka Streams not running (it never started, or failed): nothing to announce, and the
        // close below must still happen.
        LOG.info("No departure announced: {}", e.toString());
      }
    }
    LOG.info(
        "Closing Kafka Streams ({} the group, up to {})",
        leaving ? "leaving" : "staying in",
        settings.getShutdownTimeout());
    boolean closed =
        streams.close(
            CloseOptions.groupMembershipOperation(
                    leaving
                        ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                        : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                .withTimeout(settings.getShutdownTimeout()));
    LOG.info(closed ? "Kafka Streams closed" : "Kafka Streams did not close in time");
    if (!closed && staticMember && leaving && processId.isPresent()) {
      // Its leave-group may never have gone out, and peers told of the departure do not take it
      // over: without this its partitions would wait the session timeout.
      peers.takeSelfOut(settings.getGroupInstanceId(), processId.get());
    }
  }
}
