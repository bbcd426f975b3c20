package io.sagastream.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.value.PropertyResolver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where step and saga spans go, under {@code sagastream.tracing.*}: nowhere by default; {@code
 * otlp} sends them to an OpenTelemetry collector over HTTP, {@code logging} writes them to the log.
 * What is not set here is taken from OpenTelemetry's own variables ({@code OTEL_TRACES_EXPORTER},
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} and the like), which clusters often set for every pod: a
 * value of theirs Sagastream cannot use is warned about and left out, never a reason not to start,
 * while a wrong {@code sagastream.tracing.*} setting is refused at start.
 */
@ConfigurationProperties("sagastream.tracing")
public class TracingSettings {

  private static final Logger LOG = LoggerFactory.getLogger(TracingSettings.class);
  private static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/traces";
  private static final String TRACES_PATH = "/v1/traces";
  private static final List<String> EXPORTERS = List.of("none", "otlp", "logging", "console");

  private String exporter = "";
  private String otlpEndpoint = "";
  private String otlpHeaders = "";
  private String serviceName = "";
  private String resourceAttributes = "";

  /** The settings in effect, with OpenTelemetry's variables filling in what is not set. */
  public record Resolved(
      String exporter,
      String endpoint,
      Map<String, String> headers,
      String serviceName,
      Map<String, String> attributes) {

    public boolean exports() {
      return !exporter.equals("none");
    }
  }

  /** The settings in effect, OpenTelemetry's variables read from {@code otel}. */
  public Resolved resolve(PropertyResolver otel) {
    String chosenExporter = exporter(otel);
    Map<String, String> attributes =
        resourceAttributes.isBlank()
            ? lenientPairs(otel, "otel.resource.attributes")
            : pairs("sagastream.tracing.resource-attributes", resourceAttributes);
    String name =
        nonEmpty(serviceName)
            .or(() -> nonEmpty(otel, "otel.service.name"))
            .or(() -> Optional.ofNullable(attributes.get("service.name")))
            .orElse("sagastream");
    if (chosenExporter.equals("otlp")) {
      warnOfProtocol(otel);
    }
    return new Resolved(chosenExporter, endpoint(otel), headers(otel), name, attributes);
  }

  private String exporter(PropertyResolver otel) {
    if (!exporter.isBlank()) {
      String own = exporter.trim().toLowerCase(Locale.ROOT);
      if (!EXPORTERS.contains(own)) {
        throw new IllegalArgumentException(
            "sagastream.tracing.exporter must be none, otlp or logging (console), not " + exporter);
      }
      return own.equals("console") ? "logging" : own;
    }
    Optional<String> listed = nonEmpty(otel, "otel.traces.exporter");
    if (listed.isEmpty()) {
      return "none";
    }
    List<String> names =
        Arrays.stream(listed.get().split(",")).map(n -> n.trim().toLowerCase(Locale.ROOT)).toList();
    if (names.contains("otlp")) {
      return "otlp";
    }
    if (names.contains("console") || names.contains("logging")) {
      return "logging";
    }
    if (!names.stream().allMatch(n -> n.equals("none") || n.isEmpty())) {
      LOG.warn(
          "OTEL_TRACES_EXPORTER={} names no exporter Sagastream has (otlp, console): it sends no"
              + " spans",
          listed.get());
    }
    return "none";
  }

  private static void warnOfProtocol(PropertyResolver otel) {
    nonEmpty(otel, "otel.exporter.otlp.traces.protocol")
        .or(() -> nonEmpty(otel, "otel.exporter.otlp.protocol"))
        .filter(p -> !p.equalsIgnoreCase("http/protobuf"))
        .ifPresent(
            p ->
                LOG.warn(
                    "Sagastream sends OTLP over HTTP (http/protobuf) only, not {}: the collector's"
                        + " endpoint must take that",
                    p));
  }

  /**
   * Where spans are posted: the endpoint as set (a bare collector address, {@code
   * http://collector:4318}, gets OTLP's {@code /v1/traces}: posted to the address itself, every
   * span was refused with only a warning in the log), else OpenTelemetry's traces endpoint as it
   * is, else its general endpoint with {@code /v1/traces} added, as OpenTelemetry's SDKs add it,
   * else the local collector.
   */
  public String endpoint(PropertyResolver otel) {
    if (!otlpEndpoint.isBlank()) {
      String endpoint = otlpEndpoint.trim();
      String path = java.net.URI.create(endpoint).getPath();
      if (path == null || path.isEmpty() || path.equals("/")) {
        return withTracesPath(endpoint);
      }
      return endpoint;
    }
    return nonEmpty(otel, "otel.exporter.otlp.traces.endpoint")
        .or(
            () ->
                nonEmpty(otel, "otel.exporter.otlp.endpoint").map(TracingSettings::withTracesPath))
        .orElse(DEFAULT_ENDPOINT);
  }

  private static String withTracesPath(String endpoint) {
    return endpoint.replaceAll("/+$", "") + TRACES_PATH;
  }

  /**
   * Headers for the collector (an API key, say): as set, else OpenTelemetry's traces headers, else
   * its general ones.
   */
  public Map<String, String> headers(PropertyResolver otel) {
    if (!otlpHeaders.isBlank()) {
      return pairs("sagastream.tracing.otlp-headers", otlpHeaders);
    }
    Map<String, String> headers = lenientPairs(otel, "otel.exporter.otlp.traces.headers");
    return headers.isEmpty() ? lenientPairs(otel, "otel.exporter.otlp.headers") : headers;
  }

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

  public String getOtlpHeaders() {
    return otlpHeaders;
  }

  public void setOtlpHeaders(String otlpHeaders) {
    this.otlpHeaders = otlpHeaders;
  }

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public String getResourceAttributes() {
    return resourceAttributes;
  }

  public void setResourceAttributes(String resourceAttributes) {
    this.resourceAttributes = resourceAttributes;
  }

  private static Optional<String> nonEmpty(String value) {
    return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static Optional<String> nonEmpty(PropertyResolver otel, String name) {
    return otel.getProperty(name, String.class).flatMap(TracingSettings::nonEmpty);
  }

  /** OpenTelemetry's pairs: one it cannot read is warned about and left out. */
  private static Map<String, String> lenientPairs(PropertyResolver otel, String name) {
    Optional<String> text = nonEmpty(otel, name);
    if (text.isEmpty()) {
      return Map.of();
    }
    try {
      return pairs(name, text.get());
    } catch (IllegalArgumentException e) {
      LOG.warn("{}; Sagastream leaves it out", e.getMessage());
      return Map.of();
    }
  }

  /**
   * {@code name=value} pairs separated by commas, values percent-encoded ({@code %XX}; a {@code +}
   * stays a plus, as in a base64 credential), as OpenTelemetry's variables write them.
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
          pair.substring(0, equals).trim(), percentDecoded(pair.substring(equals + 1).trim()));
    }
    return pairs;
  }

  /** {@code %XX} sequences decoded as UTF-8; anything else, a lone {@code %} too, as it is. */
  static String percentDecoded(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < text.length()) {
      if (text.charAt(i) == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 3;
      } else {
        int codePoint = text.codePointAt(i);
        byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i += Character.charCount(codePoint);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(String text, int at) {
    return at < text.length() && Character.digit(text.charAt(at), 16) >= 0;
  }
}
