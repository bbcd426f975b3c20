package io.sagastream.app;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Where step and saga spans go, under {@code sagastream.tracing.*}: nowhere by default; {@code
 * otlp} sends them to an OpenTelemetry collector, {@code logging} writes them to the log.
 */
@ConfigurationProperties("sagastream.tracing")
public class TracingSettings {

  private String exporter = "none";
  private String otlpEndpoint = "http://localhost:4318/v1/traces";
  private String serviceName = "sagastream";

  public String getExporter() {
    return exporter;
  }

  public void setExporter(String exporter) {
    this.exporter = exporter;
  }

  public String getOtlpEndpoint() {
    return otlpEndpoint;
  }

  public void setOtlpEndpoint(String otlpEndpoint) {
    this.otlpEndpoint = otlpEndpoint;
  }

  /**
   * Where spans are posted: the endpoint as set, or with OTLP's {@code /v1/traces} added to a bare
   * collector address ({@code http://collector:4318}), as OpenTelemetry's own settings take it.
   * Posted to the address itself, every span was refused, with only a warning in the log.
   */
  public String tracesEndpoint() {
    String endpoint = otlpEndpoint.trim();
    String path = java.net.URI.create(endpoint).getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return endpoint.replaceAll("/$", "") + "/v1/traces";
    }
    return endpoint;
  }

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }
}
