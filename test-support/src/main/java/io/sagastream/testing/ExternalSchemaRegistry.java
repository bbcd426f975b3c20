package io.sagastream.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A registry someone else runs, named by {@code SCHEMA_REGISTRY_URL}; closing it does nothing. */
final class ExternalSchemaRegistry implements SchemaRegistryServer {

  private final String url;

  ExternalSchemaRegistry(String url) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    requireAnswer();
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public String describe() {
    return "external schema registry at " + url;
  }

  @Override
  public void close() {}

  private void requireAnswer() {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "/subjects"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "SCHEMA_REGISTRY_URL=" + url + " answered GET /subjects with " + response.statusCode());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("SCHEMA_REGISTRY_URL=" + url + " does not answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking " + url, e);
    }
  }
}
