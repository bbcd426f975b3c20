package io.sagastream.app;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Liveness;
import io.sagastream.topology.NodeStartup;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Alive unless Kafka Streams has stopped for good (ERROR) or could not start at all (its state
 * directory unreadable, say): then only a restart helps. Rebalancing or restoring state is alive,
 * even when it takes long, so that a restart does not start it over; so is waiting for the topics
 * or for Kafka to let the node in, which a restart would not mend.
 */
@Singleton
@Liveness
final class StreamsLivenessIndicator extends AbstractHealthIndicator<Map<String, Object>> {

  private final KafkaStreams streams;
  private final NodeStartup startup;

  StreamsLivenessIndicator(KafkaStreams streams, NodeStartup startup) {
    this.streams = streams;
    this.startup = startup;
  }

  @Override
  protected Map<String, Object> getHealthInformation() {
    KafkaStreams.State state = streams.state();
    healthStatus =
        state == KafkaStreams.State.ERROR
                || state == KafkaStreams.State.PENDING_ERROR
                || startup.startFailure().isPresent()
            ? HealthStatus.DOWN
            : HealthStatus.UP;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("state", state.name());
    startup.startFailure().ifPresent(failure -> details.put("startFailed", failure));
    return details;
  }

  @Override
  protected String getName() {
    return "kafkaStreamsAlive";
  }
}
