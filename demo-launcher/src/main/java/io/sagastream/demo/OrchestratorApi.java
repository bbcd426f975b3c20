package io.sagastream.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A client for one orchestrator node's HTTP API. */
public final class OrchestratorApi {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final String baseUrl;

  /** A client for the node at {@code baseUrl}, such as one in a process of its own. */
  public OrchestratorApi(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public HttpResponse<String> get(String path) {
    return await(HTTP.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()));
  }

  public HttpResponse<String> post(String path, String json) {
    return await(postAsync(path, json));
  }

  public CompletableFuture<HttpResponse<String>> postAsync(String path, String json) {
    return HTTP.sendAsync(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Whether the node is ready: its Kafka Streams runs. */
  public boolean ready() {
    try {
      return get("/health").statusCode() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT);
  }

  private static HttpResponse<String> await(CompletableFuture<HttpResponse<String>> call) {
    try {
      return call.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while calling the orchestrator", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IllegalStateException(
          "The orchestrator did not answer: " + cause, cause instanceof IOException ? cause : e);
    }
  }
}
