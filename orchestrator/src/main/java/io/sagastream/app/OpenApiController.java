package io.sagastream.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves the API's OpenAPI document. It is written by hand ({@value #RESOURCE}), because the
 * controllers take their bodies as raw JSON and a document generated from them would say nothing
 * about the fields; {@code OpenApiDocumentIT} keeps it in step with the routes.
 */
@Controller
class OpenApiController {

  static final String RESOURCE = "openapi/sagastream.yml";
  static final String APPLICATION_YAML = "application/yaml";

  private final String yaml;
  private final String json;

  OpenApiController() {
    this.yaml = read(RESOURCE);
    this.json = toJson(yaml);
  }

  @Get("/openapi.yml")
  @Produces(APPLICATION_YAML)
  HttpResponse<String> yaml() {
    return HttpResponse.ok(yaml).contentType(APPLICATION_YAML);
  }

  /** The same document as JSON, for tools that do not read YAML. */
  @Get("/openapi.json")
  @Produces(MediaType.APPLICATION_JSON)
  HttpResponse<String> json() {
    return HttpResponse.ok(json).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  private static String read(String resource) {
    try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("The OpenAPI document " + resource + " is not packaged");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  private static String toJson(String yaml) {
    try {
      return new ObjectMapper()
          .writerWithDefaultPrettyPrinter()
          .writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(yaml));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("The OpenAPI document is not readable YAML", e);
    }
  }
}
