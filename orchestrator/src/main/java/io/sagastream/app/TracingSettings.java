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

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }
}
