package io.sagastream.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.MapPropertySource;
import java.util.Map;

/**
 * A started Micronaut environment with the packaged application.yml, {@code variables} read as
 * environment variables are, and {@code properties} as a source of higher priority: what a node's
 * settings see, without starting a node. Left open, since closing it empties what tests read.
 */
final class VariablesEnvironment {

  private VariablesEnvironment() {}

  static Environment of(Map<String, Object> variables, Map<String, Object> properties) {
    MapPropertySource asEnvironmentVariables =
        new MapPropertySource("variables", variables) {
          @Override
          public PropertyConvention getConvention() {
            return PropertyConvention.ENVIRONMENT_VARIABLE;
          }
        };
    Environment environment =
        ApplicationContext.builder()
            .environmentPropertySource(false)
            .propertySources(asEnvironmentVariables)
            .properties(properties)
            .build()
            .getEnvironment();
    environment.start();
    return environment;
  }
}
