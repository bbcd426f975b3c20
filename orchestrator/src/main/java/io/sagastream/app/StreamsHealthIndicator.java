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
 * Ready once Kafka Streams has been RUNNING, and while it runs or rebalances after that, as long as
 * Kafka has not refused the node lately: before its first RUNNING this node cannot answer for its
 * keys (and a rolling update must wait for it). A rebalance later does not make it unready: it
 * still writes starts and messages, passes calls on, and answers from standbys or 503s while its
 * own stores move, where a Service without endpoints (every node rebalancing at once, after a
 * broker failover say) would refuse every call. A refusal (a login, a missing ACL) is named in the
 * details, since Kafka Streams' own state says only REBALANCING while its threads are refused over
 * and over; so is what keeps the node from starting at all (its topics not prepared yet, {@link
 * NodeStartup}).
 */
@Singleton
@Readiness
final class StreamsHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

  private final KafkaStreams streams;
  private final KafkaAccess access;
  private final NodeStartup startup;

  /** Whether Kafka Streams has been seen RUNNING since this node started. */
  private volatile boolean hasRun;

  StreamsHealthIndicator(KafkaStreams streams, KafkaAccess access, NodeStartup startup) {
    this.streams = streams;
    this.access = access;
    this.startup = startup;
  }

  @Override
  protected Map<String, Object> getHealthInformation() {
    KafkaStreams.State state = streams.state();
    Optional<KafkaAccess.Refusal> refusal = access.recent();
    if (state == KafkaStreams.State.RUNNING) {
      hasRun = true;
    }
    healthStatus =
        serving(state, hasRun) && refusal.isEmpty() ? HealthStatus.UP : HealthStatus.DOWN;
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

  /** Whether a node whose Kafka Streams is in {@code state} serves the API. */
  static boolean serving(KafkaStreams.State state, boolean hasRun) {
    return state == KafkaStreams.State.RUNNING
        || (hasRun && state == KafkaStreams.State.REBALANCING);
  }

  @Override
  protected String getName() {
    return "kafkaStreams";
  }
}
