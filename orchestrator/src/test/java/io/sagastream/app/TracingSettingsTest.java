package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.env.Environment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tracing settings: Sagastream's own, and OpenTelemetry's variables for what they leave unset. */
class TracingSettingsTest {

  private static final Environment NO_VARIABLES = environment(Map.of());

  private static String endpoint(String configured) {
    TracingSettings settings = new TracingSettings();
    settings.setOtlpEndpoint(configured);
    return settings.endpoint(NO_VARIABLES);
  }

  @Test
  void aBareCollectorAddressGetsOtlpsTracesPath() {
    assertThat(endpoint("http://collector:4318")).isEqualTo("http://collector:4318/v1/traces");
    assertThat(endpoint("http://collector:4318/")).isEqualTo("http://collector:4318/v1/traces");
  }

  @Test
  void anEndpointWithAPathIsTakenAsItIs() {
    assertThat(endpoint("http://localhost:4318/v1/traces"))
        .isEqualTo("http://localhost:4318/v1/traces");
    assertThat(endpoint("https://gateway.example.com/otel/traces"))
        .isEqualTo("https://gateway.example.com/otel/traces");
  }

  @Test
  void openTelemetrysOwnVariablesSetTracingWhenSagastreamsAreNotSet() {
    // given only OpenTelemetry's variables, as a cluster sets them for every pod
    Environment variables =
        environment(
            Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "https://gateway.example.com/otlp",
                "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Basic ab+cd%3D%3D,tenant=blue",
                "OTEL_SERVICE_NAME", "orders-sagas",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod"));

    // when the node resolves its tracing settings
    TracingSettings.Resolved tracing = new TracingSettings().resolve(variables);

    // then they are taken: the general endpoint gets the traces path even with a path of its own,
    // and values are percent-decoded with a plus left a plus
    assertThat(tracing.exporter()).isEqualTo("otlp");
    assertThat(tracing.endpoint()).isEqualTo("https://gateway.example.com/otlp/v1/traces");
    assertThat(tracing.headers())
        .containsExactly(Map.entry("Authorization", "Basic ab+cd=="), Map.entry("tenant", "blue"));
    assertThat(tracing.serviceName()).isEqualTo("orders-sagas");
    assertThat(tracing.attributes()).containsExactly(Map.entry("deployment.environment", "prod"));
  }

  @Test
  void sagastreamsOwnSettingsWinOverOpenTelemetrysAndTheTracesEndpointIsTakenAsItIs() {
    // given both, and OpenTelemetry's traces endpoint beside its general one
    Environment variables =
        environment(
            Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://general:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:4318/custom",
                "OTEL_SERVICE_NAME", "from-otel"));
    TracingSettings settings = new TracingSettings();
    settings.setExporter("logging");
    settings.setServiceName("from-sagastream");

    // when
    TracingSettings.Resolved tracing = settings.resolve(variables);

    // then
    assertThat(tracing.exporter()).isEqualTo("logging");
    assertThat(tracing.endpoint()).isEqualTo("http://traces:4318/custom");
    assertThat(tracing.serviceName()).isEqualTo("from-sagastream");
  }

  @Test
  void withNothingSetNothingIsExported() {
    TracingSettings.Resolved tracing = new TracingSettings().resolve(NO_VARIABLES);

    assertThat(tracing.exports()).isFalse();
    assertThat(tracing.endpoint()).isEqualTo("http://localhost:4318/v1/traces");
    assertThat(tracing.headers()).isEmpty();
    assertThat(tracing.serviceName()).isEqualTo("sagastream");
  }

  @Test
  void openTelemetryValuesSagastreamCannotUseAreLeftOutNotAReasonToStop() {
    // given exporters Sagastream does not have, and attributes without a name
    Environment variables =
        environment(
            Map.of(
                "OTEL_TRACES_EXPORTER", "zipkin",
                "OTEL_RESOURCE_ATTRIBUTES", "=orphan,service.name=from-attributes"));

    // when
    TracingSettings.Resolved tracing = new TracingSettings().resolve(variables);

    // then the node starts without tracing, and the attributes it cannot read are left out
    assertThat(tracing.exports()).isFalse();
    assertThat(tracing.attributes()).isEmpty();
    assertThat(
            new TracingSettings()
                .resolve(environment(Map.of("OTEL_TRACES_EXPORTER", "otlp,console")))
                .exporter())
        .isEqualTo("otlp");
  }

  @Test
  void theServiceNameIsTakenFromTheResourceAttributesWhenNothingElseNamesIt() {
    Environment variables =
        environment(Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=billing,team=payments"));

    assertThat(new TracingSettings().resolve(variables).serviceName()).isEqualTo("billing");
  }

  @Test
  void aWrongSagastreamSettingIsRefusedNamingIt() {
    TracingSettings headers = new TracingSettings();
    headers.setOtlpHeaders("api-key=1,=2");
    TracingSettings exporter = new TracingSettings();
    exporter.setExporter("zipkin");

    assertThatThrownBy(() -> headers.resolve(NO_VARIABLES))
        .hasMessageContaining("sagastream.tracing.otlp-headers")
        .hasMessageContaining("'=2'");
    assertThatThrownBy(() -> exporter.resolve(NO_VARIABLES))
        .hasMessageContaining("sagastream.tracing.exporter");
  }

  @Test
  void percentDecodingLeavesALonePercentSignAndOtherCharactersAsTheyAre() {
    assertThat(TracingSettings.percentDecoded("100% a+b %41 ü %zz")).isEqualTo("100% a+b A ü %zz");
  }

  private static Environment environment(Map<String, Object> variables) {
    return VariablesEnvironment.of(variables, Map.of());
  }
}
