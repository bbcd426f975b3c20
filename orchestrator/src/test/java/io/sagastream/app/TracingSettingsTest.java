package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TracingSettingsTest {

  private static String tracesEndpoint(String configured) {
    TracingSettings settings = new TracingSettings();
    settings.setOtlpEndpoint(configured);
    return settings.tracesEndpoint();
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
}
