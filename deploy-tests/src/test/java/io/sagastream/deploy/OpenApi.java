package io.sagastream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The HTTP API the orchestrator serves, from the OpenAPI document packaged in its jar. */
final class OpenApi {

  private static final JsonNode DOCUMENT = load();

  private OpenApi() {}

  /** Whether the API has {@code method} (get, post, ...) on {@code path}. */
  static boolean serves(String method, String path) {
    return DOCUMENT.path("paths").path(path).has(method.toLowerCase(Locale.ROOT));
  }

  static List<String> paths() {
    List<String> paths = new ArrayList<>();
    DOCUMENT.path("paths").fieldNames().forEachRemaining(paths::add);
    return paths;
  }

  private static JsonNode load() {
    try (InputStream in =
        OpenApi.class.getClassLoader().getResourceAsStream("openapi/sagastream.yml")) {
      if (in == null) {
        throw new IllegalStateException("openapi/sagastream.yml is not in the orchestrator jar");
      }
      return KubernetesYaml.YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
