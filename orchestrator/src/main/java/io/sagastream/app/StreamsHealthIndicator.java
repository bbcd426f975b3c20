package io.sagastream.app;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.sagastream.topology.KafkaAccess;
import io.sagastream.topology.NodeStartup;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Ready only while Kafka Streams is RUNNING and Kafka has not refused the node lately: before that,
 * this node cannot answer for its keys. A refusal (a login, a missing ACL) is named in the details,
 * since Kafka Streams' own state says only REBALANCING while its threads are refused over and over;
 * so is what keeps the node from starting at all (its topics not prepared yet, {@link
 * NodeStartup}).
 */
@Singleton
@Readiness
final class StreamsHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

  private final KafkaStreams streams;
  private final KafkaAccess access;
  private final NodeStartup startup;

  StreamsHealthIndicator(KafkaStreams streams, KafkaAccess access, NodeStartup startup) {
    this.streams = streams;
    this.access = access;
    this.startup = startup;
  }

  @Override
  protected Map<String, Object> getHealthInformation() {
    KafkaStreams.State state = streams.state();
    Optional<KafkaAccess.Refusal> refusal = access.recent();
    healthStatus =
        state == KafkaStreams.State.RUNNING && refusal.isEmpty()
            ? HealthStatus.UP
            : HealthStatus.DOWN;
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("state", state.name());
    startup.problem().ifPresent(problem -> details.put("notStartedBecause", problem));
    refusal.ifPresent(
        r -> {
          details.put("kafkaRefused", r.message());
          details.put("refusedTimes", r.times());
          details.put("lastRefused", r.lastSeen().toString());
        });
    return details;
  }

  @Override
  protected String getName() {
    return "kafkaStreams";
  }
}
