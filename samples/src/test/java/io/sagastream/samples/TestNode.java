package io.sagastream.samples;

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
import java.util.Map;

/**
 * An orchestrator node started as the application starts, on loopback, and a client for its API
 * (the orchestrator's own RunningNode test helper, cut down to what these tests use).
 */
final class TestNode implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final EmbeddedServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestNode(EmbeddedServer server) {
    this.server = server;
  }

  static TestNode start(
      KafkaCluster kafka,
      SchemaRegistryServer registry,
      String prefix,
      int partitions,
      Path state) {
    int port = LoopbackPorts.free();
    Map<String, Object> properties =
        new java.util.HashMap<>(
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
                partitions,
                "sagastream.state-dir",
                state.toString()));
    // The samples' tests are about sagas, not callers: the API answers anyone here.
    properties.put("sagastream.security.enabled", false);
    EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties);
    TestNode node = new TestNode(server);
    await().atMost(Duration.ofSeconds(60)).until(() -> node.get("/health").statusCode() == 200);
    return node;
  }

  HttpResponse<String> post(String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).build());
  }

  /** The saga of {@code definition} on {@code key}, as the API shows it. */
  JsonNode saga(String key, String definition) {
    return json(get("/sagas/" + key + "/" + definition));
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
