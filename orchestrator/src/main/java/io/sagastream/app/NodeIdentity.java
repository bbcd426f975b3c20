package io.sagastream.app;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * Who this node is to its peers: its address, its static-membership id, and the Kafka Streams
 * process id its transactional ids begin with, so that a survivor can take it out of the group and
 * fence its open transaction when it dies.
 */
@Singleton
final class NodeIdentity {

  private static final String THREAD_MARK = "-StreamThread-";

  private final KafkaStreams streams;
  private final OrchestratorSettings settings;
  private final String address;

  NodeIdentity(
      KafkaStreams streams,
      OrchestratorSettings settings,
      @Value("${kafka.streams.default.application.server:}") String address) {
    this.streams = streams;
    this.settings = settings;
    this.address = address;
  }

  /** What a node tells its peers about itself. */
  record Self(
      String address,
      String applicationId,
      String groupInstanceId,
      String processId,
      String state) {}

  Self self() {
    return new Self(
        address,
        settings.getApplicationId(),
        settings.getGroupInstanceId(),
        processId().orElse(""),
        streams.state().name());
  }

  /**
   * The process id, read from a stream thread's client id ({@code <application id>-<process
   * id>-StreamThread-<n>-consumer} unless {@code client.id} is set); empty when it cannot be told.
   */
  Optional<String> processId() {
    String prefix = settings.getApplicationId() + "-";
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      String clientId = thread.consumerClientId();
      int mark = clientId.indexOf(THREAD_MARK);
      if (clientId.startsWith(prefix) && mark > prefix.length()) {
        return Optional.of(clientId.substring(prefix.length(), mark));
      }
    }
    return Optional.empty();
  }
}
