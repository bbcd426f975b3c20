package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.LoopbackPorts;
import io.sagastream.testing.SchemaRegistryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** An orchestrator node running as the application does, on loopback, and a client for its API. */
final class RunningNode implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final EmbeddedServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  private RunningNode(EmbeddedServer server) {
    this.server = server;
  }

  static RunningNode start(
      KafkaCluster kafka, SchemaRegistryServer registry, String prefix, Path state) {
    return start(kafka, registry, prefix, state, Map.of());
  }

  /**
   * Starts a node with {@code settings} on top of the test defaults, which include security off.
   */
  static RunningNode start(
      KafkaCluster kafka,
      SchemaRegistryServer registry,
      String prefix,
      Path state,
      Map<String, Object> settings) {
    RunningNode node = launch(kafka, registry, prefix, state, settings);
    await().atMost(Duration.ofSeconds(60)).until(() -> node.get("/health").statusCode() == 200);
    return node;
  }

  /** Starts a node as {@link #start} does, without waiting for it to become ready. */
  static RunningNode launch(
      KafkaCluster kafka,
      SchemaRegistryServer registry,
      String prefix,
      Path state,
      Map<String, Object> settings) {
    int port = LoopbackPorts.free();
    Map<String, Object> properties =
        new HashMap<>(
            Map.of(
                "micronaut.server.host",
                "127.0.0.1",
                "micronaut.server.port",
                port,
                "kafka.streams.default.application.server",
                "127.0.0.1:" + port,
                "sagastream.application-id",
                prefix + "node",
                "sagastream.bootstrap-servers",
                kafka.bootstrapServers(),
                "sagastream.schema-registry-url",
                registry.url(),
                "sagastream.topic-prefix",
                prefix,
                "sagastream.partitions",
                2,
                "sagastream.state-dir",
                state.toString()));
    // Security is on by default; tests about other things run without it (the security ITs turn
    // it back on through settings).
    properties.put("sagastream.security.enabled", false);
    properties.putAll(settings);
    return new RunningNode(ApplicationContext.run(EmbeddedServer.class, properties));
  }

  /** The node's application context, to look at its beans (its routes, say). */
  ApplicationContext context() {
    return server.getApplicationContext();
  }

  /** This node's address as other nodes reach it. */
  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  HttpResponse<String> post(String path, String body) {
    return post(path, body, Map.of());
  }

  HttpResponse<String> post(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::setHeader);
    return send(request.build());
  }

  HttpResponse<String> get(String path) {
    return get(path, Map.of());
  }

  HttpResponse<String> get(String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    headers.forEach(request::header);
    return send(request.build());
  }

  /**
   * Waits up to 30 s until the readiness answers 503 with every one of {@code phrases} in its body,
   * and returns that body.
   */
  String awaitNotReadySaying(String... phrases) {
    AtomicReference<String> body = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              HttpResponse<String> readiness = get("/health/readiness");
              assertThat(readiness.statusCode()).isEqualTo(503);
              assertThat(readiness.body()).contains(phrases);
              body.set(readiness.body());
            });
    return body.get();
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("Not JSON: " + response.body(), e);
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  @Override
  public void close() {
    server.getApplicationContext().close();
  }
}
