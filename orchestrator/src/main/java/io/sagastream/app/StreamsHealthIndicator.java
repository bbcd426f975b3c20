package io.sagastream.app;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/** Ready only while Kafka Streams is RUNNING: before that, this node cannot answer for its keys. */
@Singleton
@Readiness
final class StreamsHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

  private final KafkaStreams streams;

  StreamsHealthIndicator(KafkaStreams streams) {
    this.streams = streams;
  }

  @Override
  protected Map<String, Object> getHealthInformation() {
    KafkaStreams.State state = streams.state();
    healthStatus = state == KafkaStreams.State.RUNNING ? HealthStatus.UP : HealthStatus.DOWN;
    return Map.of("state", state.name());
  }

  @Override
  protected String getName() {
    return "kafkaStreams";
  }
}
