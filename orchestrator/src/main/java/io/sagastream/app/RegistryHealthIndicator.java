package io.sagastream.app;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.sagastream.registry.SchemaRegistry;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Ready once the schema registry has answered: a node that never reached it cannot read a single
 * record. Once it has answered, a later outage does not take the node out of service: it has the
 * schemas it uses cached, and records it cannot read wait or go to dead letters.
 */
@Singleton
@Readiness
final class RegistryHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

  private final SchemaRegistry registry;
  private volatile boolean answered;

  RegistryHealthIndicator(SchemaRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected Map<String, Object> getHealthInformation() {
    if (!answered) {
      try {
        registry.subjects();
        answered = true;
      } catch (RuntimeException e) {
        healthStatus = HealthStatus.DOWN;
        return Map.of("answered", false, "error", e.getMessage());
      }
    }
    healthStatus = HealthStatus.UP;
    return Map.of("answered", true);
  }

  @Override
  protected String getName() {
    return "schemaRegistry";
  }
}
