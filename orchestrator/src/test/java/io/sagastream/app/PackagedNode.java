package io.sagastream.app;

import static org.awaitility.Awaitility.await;

import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.LoopbackPorts;
import io.sagastream.testing.SchemaRegistryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The packaged node as operators run it: {@code java -jar} in a process of its own, configured by
 * environment variables, on loopback. Stopped with SIGTERM or killed with SIGKILL.
 */
final class PackagedNode implements AutoCloseable {

  static final Path JAR = Path.of("target", "sagastream-orchestrator.jar");

  private final ProcessBuilder builder;
  private final int port;
  private final Path log;
  private Process process;

  private PackagedNode(ProcessBuilder builder, int port, Path log) {
    this.builder = builder;
    this.port = port;
    this.log = log;
  }

  /** A node of {@code applicationId} with its state under {@code work}, not started yet. */
  static PackagedNode of(
      KafkaCluster kafka,
      SchemaRegistryServer registry,
      String prefix,
      String instanceId,
      Path work,
      Map<String, String> settings) {
    int port = LoopbackPorts.free();
    Path log = work.resolve(instanceId + ".log");
    Map<String, String> environment = new HashMap<>();
    environment.put("MICRONAUT_SERVER_HOST", "127.0.0.1");
    environment.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
    environment.put("KAFKA_STREAMS_DEFAULT_APPLICATION_SERVER", "127.0.0.1:" + port);
    environment.put("SAGASTREAM_APPLICATION_ID", prefix + "node");
    environment.put("SAGASTREAM_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    environment.put("SAGASTREAM_SCHEMA_REGISTRY_URL", registry.url());
    environment.put("SAGASTREAM_TOPIC_PREFIX", prefix);
    environment.put("SAGASTREAM_PARTITIONS", "2");
    environment.put("SAGASTREAM_STATE_DIR", work.resolve(instanceId + "-state").toString());
    environment.put("SAGASTREAM_GROUP_INSTANCE_ID", instanceId);
    // Security is on by default; these tests are about other things.
    environment.put("SAGASTREAM_SECURITY_ENABLED", "false");
    environment.putAll(settings);
    ProcessBuilder builder =
        new ProcessBuilder(java(), "-Xmx256m", "-jar", JAR.toAbsolutePath().toString())
            .redirectErrorStream(true);
    builder.environment().putAll(environment);
    return new PackagedNode(builder, port, log);
  }

  /** Starts the process; the log of each start is appended to the same file. */
  PackagedNode start() throws IOException {
    process = builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return this;
  }

  PackagedNode awaitReady() {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> status("/health/readiness") == 200);
    return this;
  }

  int port() {
    return port;
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** SIGTERM, and true when the process exits by itself within a minute. */
  boolean terminate() throws InterruptedException {
    process.destroy();
    return process.waitFor(60, TimeUnit.SECONDS);
  }

  /** SIGKILL: the node gets no chance to commit, close or leave its group. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  int status(String path) {
    try {
      return http().send(get(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  HttpResponse<String> getJson(String path) throws IOException, InterruptedException {
    return http().send(get(path), HttpResponse.BodyHandlers.ofString());
  }

  Optional<String> answeredBy(String path) throws IOException, InterruptedException {
    return http()
        .send(get(path), HttpResponse.BodyHandlers.discarding())
        .headers()
        .firstValue(Forwarder.ANSWERED_BY);
  }

  int post(String path, String body) {
    try {
      return http()
          .send(
              HttpRequest.newBuilder(uri(path))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static HttpClient http() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }
}
