package io.sagastream.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.value.PropertyResolver;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where step and saga spans go, under {@code sagastream.tracing.*}: nowhere by default; {@code
 * otlp} sends them to an OpenTelemetry collector, {@code logging} writes them to the log.
 * application.yml falls back to OpenTelemetry's own variables ({@code OTEL_SERVICE_NAME}, {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} and the like), which clusters often set for every pod.
 */
@ConfigurationProperties("sagastream.tracing")
public class TracingSettings {

  private String exporter = "none";
  private static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";
  private String otlpEndpoint = "";
  private String serviceName = "sagastream";
  private String otlpHeaders = "";
  private String resourceAttributes = "";

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
   * Where spans are posted: the endpoint as set, else OpenTelemetry's traces endpoint as it is,
   * else its general endpoint, else the local collector. A bare collector address ({@code
   * http://collector:4318}) gets OTLP's {@code /v1/traces}, as OpenTelemetry's own settings take
   * it: posted to the address itself, every span was refused, with only a warning in the log.
   */
  public String tracesEndpoint(PropertyResolver otel) {
    String endpoint =
        Optional.of(otlpEndpoint.trim())
            .filter(e -> !e.isEmpty())
            .or(() -> nonEmpty(otel, "otel.exporter.otlp.traces.endpoint"))
            .or(() -> nonEmpty(otel, "otel.exporter.otlp.endpoint"))
            .orElse(DEFAULT_ENDPOINT);
    String path = java.net.URI.create(endpoint).getPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      return endpoint.replaceAll("/$", "") + "/v1/traces";
    }
    return endpoint;
  }

  private static Optional<String> nonEmpty(PropertyResolver otel, String name) {
    return otel.getProperty(name, String.class).map(String::trim).filter(v -> !v.isEmpty());
  }

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public String getOtlpHeaders() {
    return otlpHeaders;
  }

  public void setOtlpHeaders(String otlpHeaders) {
    this.otlpHeaders = otlpHeaders;
  }

  /**
   * Headers for the collector (an API key, say), as {@code name=value,name=value}: as set, else
   * OpenTelemetry's traces headers, else its general ones.
   */
  public Map<String, String> headers(PropertyResolver otel) {
    if (!otlpHeaders.isBlank()) {
      return pairs("sagastream.tracing.otlp-headers", otlpHeaders);
    }
    for (String name : List.of("otel.exporter.otlp.traces.headers", "otel.exporter.otlp.headers")) {
      Optional<String> headers = nonEmpty(otel, name);
      if (headers.isPresent()) {
        return pairs(name, headers.get());
      }
    }
    return Map.of();
  }

  public String getResourceAttributes() {
    return resourceAttributes;
  }

  public void setResourceAttributes(String resourceAttributes) {
    this.resourceAttributes = resourceAttributes;
  }

  /** Attributes of every span's resource, as {@code name=value,name=value}. */
  public Map<String, String> attributes() {
    return pairs("sagastream.tracing.resource-attributes", resourceAttributes);
  }

  /**
   * {@code name=value} pairs separated by commas, values percent-encoded, as OpenTelemetry's
   * variables write them.
   */
  static Map<String, String> pairs(String setting, String text) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0 || pair.substring(0, equals).isBlank()) {
        throw new IllegalArgumentException(
            setting + " must be name=value pairs separated by commas, not '" + pair.trim() + "'");
      }
      pairs.put(
          pair.substring(0, equals).trim(),
          URLDecoder.decode(pair.substring(equals + 1).trim(), StandardCharsets.UTF_8));
    }
    return pairs;
  }
}
