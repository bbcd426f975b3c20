package io.sagastream.app;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Alive unless Kafka Streams has stopped for good (ERROR): then only a restart helps. Rebalancing
 * or restoring state is alive, even when it takes long, so that a restart does not start it over.
 */
@Singleton
@Liveness
final class StreamsLivenessIndicator extends AbstractHealthIndicator<Map<String, Object>> {

  private final KafkaStreams streams;

  StreamsLivenessIndicator(KafkaStreams streams) {
    this.streams = streams;
  }

  @Override
  protected Map<String, Object> getHealthInformation() {
    KafkaStreams.State state = streams.state();
    healthStatus =
        state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
            ? HealthStatus.DOWN
            : HealthStatus.UP;
    return Map.of("state", state.name());
  }

  @Override
  protected String getName() {
    return "kafkaStreamsAlive";
  }
}
