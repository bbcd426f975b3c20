package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.MapPropertySource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingSettingsTest {

  private static String tracesEndpoint(String configured) {
    TracingSettings settings = new TracingSettings();
    settings.setOtlpEndpoint(configured);
    return settings.tracesEndpoint(bound(Map.of()).environment());
  }

  @Test
  void aBareCollectorAddressGetsOtlpsTracesPath() {
    assertThat(tracesEndpoint("http://collector:4318"))
        .isEqualTo("http://collector:4318/v1/traces");
    assertThat(tracesEndpoint("http://collector:4318/"))
        .isEqualTo("http://collector:4318/v1/traces");
  }

  @Test
  void anEndpointWithAPathIsTakenAsItIs() {
    assertThat(tracesEndpoint("http://localhost:4318/v1/traces"))
        .isEqualTo("http://localhost:4318/v1/traces");
    assertThat(tracesEndpoint("https://gateway.example.com/otel/traces"))
        .isEqualTo("https://gateway.example.com/otel/traces");
  }

  @Test
  void openTelemetrysOwnVariablesSetTracingWhenSagastreamsAreNotSet() {
    // given only OpenTelemetry's variables, as a cluster sets them for every pod
    Map<String, Object> variables =
        Map.of(
            "OTEL_TRACES_EXPORTER", "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
            "OTEL_EXPORTER_OTLP_HEADERS", "api-key=s%3Dcret,tenant=blue",
            "OTEL_SERVICE_NAME", "orders-sagas",
            "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod");

    // when the node reads its tracing settings
    Bound bound = bound(variables);
    TracingSettings settings = bound.settings();

    // then they are taken, the endpoint completed and the values decoded
    assertThat(settings.getExporter()).isEqualTo("otlp");
    assertThat(settings.tracesEndpoint(bound.environment()))
        .isEqualTo("http://collector:4318/v1/traces");
    assertThat(settings.headers(bound.environment()))
        .containsExactly(Map.entry("api-key", "s=cret"), Map.entry("tenant", "blue"));
    assertThat(settings.getServiceName()).isEqualTo("orders-sagas");
    assertThat(settings.attributes()).containsExactly(Map.entry("deployment.environment", "prod"));
  }

  @Test
  void sagastreamsOwnVariablesWinOverOpenTelemetrys() {
    // given both, and a traces endpoint of OpenTelemetry's over its general one
    Map<String, Object> variables =
        Map.of(
            "OTEL_TRACES_EXPORTER", "otlp",
            "SAGASTREAM_TRACING_EXPORTER", "logging",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://general:4318",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:4318/v1/traces",
            "OTEL_SERVICE_NAME", "from-otel",
            "SAGASTREAM_TRACING_SERVICE_NAME", "from-sagastream");

    // when
    Bound bound = bound(variables);
    TracingSettings settings = bound.settings();

    // then
    assertThat(settings.getExporter()).isEqualTo("logging");
    assertThat(settings.tracesEndpoint(bound.environment()))
        .isEqualTo("http://traces:4318/v1/traces");
    assertThat(settings.getServiceName()).isEqualTo("from-sagastream");
  }

  @Test
  void withNothingSetNothingIsExported() {
    Bound bound = bound(Map.of());
    TracingSettings settings = bound.settings();

    assertThat(settings.getExporter()).isEqualTo("none");
    assertThat(settings.tracesEndpoint(bound.environment()))
        .isEqualTo("http://localhost:4318/v1/traces");
    assertThat(settings.headers(bound.environment())).isEmpty();
    assertThat(settings.getServiceName()).isEqualTo("sagastream");
  }

  @Test
  void aHeaderWithoutANameIsRefusedNamingTheSetting() {
    TracingSettings settings = new TracingSettings();
    settings.setOtlpHeaders("api-key=1,=2");

    assertThatThrownBy(() -> settings.headers(bound(Map.of()).environment()))
        .hasMessageContaining("sagastream.tracing.otlp-headers")
        .hasMessageContaining("'=2'");
  }

  /** The settings as the node binds them, and the variables they fall back on. */
  private record Bound(TracingSettings settings, Environment environment) {}

  private static TracingSettings settings(Map<String, Object> variables) {
    return bound(variables).settings();
  }

  private static Bound bound(Map<String, Object> variables) {
    MapPropertySource asEnvironmentVariables =
        new MapPropertySource("variables", variables) {
          @Override
          public PropertyConvention getConvention() {
            return PropertyConvention.ENVIRONMENT_VARIABLE;
          }
        };
    // Only the environment is started, and it stays open: closing it empties what tests read.
    Environment environment =
        ApplicationContext.builder()
            .environmentPropertySource(false)
            .propertySources(asEnvironmentVariables)
            .build()
            .getEnvironment();
    environment.start();
    // application.yml's placeholders resolved as the node's configuration binds them
    TracingSettings settings = new TracingSettings();
    settings.setExporter(setting(environment, "exporter"));
    environment
        .getProperty("sagastream.tracing.otlp-endpoint", String.class)
        .ifPresent(settings::setOtlpEndpoint);
    environment
        .getProperty("sagastream.tracing.otlp-headers", String.class)
        .ifPresent(settings::setOtlpHeaders);
    settings.setServiceName(setting(environment, "service-name"));
    settings.setResourceAttributes(setting(environment, "resource-attributes"));
    return new Bound(settings, environment);
  }

  private static String setting(Environment environment, String name) {
    return environment.getProperty("sagastream.tracing." + name, String.class).orElseThrow();
  }
}
