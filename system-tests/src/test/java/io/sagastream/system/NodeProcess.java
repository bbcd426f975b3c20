package io.sagastream.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagastream.testing.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One orchestrator node as operators run it: {@code java -jar sagastream-orchestrator.jar} in a
 * process of its own, configured by environment variables, on loopback, a static member of the
 * group with a state directory of its own. It keeps its port, identity and state directory across
 * restarts. A watchdog shell kills it if the test JVM dies first, so no run leaves a node behind.
 */
final class NodeProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final String name;

  private final int port;
  private final Path log;
  private final ChildProcess process;

  private NodeProcess(String name, int port, Path log, ProcessBuilder builder) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = new ChildProcess(name, builder, log);
  }

  /**
   * A node named {@code name} (its group instance id), not started yet.
   *
   * @param settings the environment shared by every node of the group
   */
  static NodeProcess of(Path jar, String name, Path work, Map<String, String> settings) {
    int port = LoopbackPorts.free();
    ProcessBuilder builder =
        new ProcessBuilder(
            ChildProcess.java(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            jar.toAbsolutePath().toString());
    Map<String, String> env = builder.environment();
    env.putAll(settings);
    env.put("MICRONAUT_SERVER_HOST", "127.0.0.1");
    env.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
    env.put("KAFKA_STREAMS_DEFAULT_APPLICATION_SERVER", "127.0.0.1:" + port);
    env.put("SAGASTREAM_GROUP_INSTANCE_ID", name);
    env.put("SAGASTREAM_STATE_DIR", work.resolve(name + "-state").toString());
    // these tests break nodes, brokers and the registry, not the API's access rules
    env.put("SAGASTREAM_SECURITY_ENABLED", "false");
    // Kafka Streams' rebalances, restores and state changes, and the members' joins and syncs:
    // to read a failover's parts from
    env.put("LOGGER_LEVELS_ORG_APACHE_KAFKA_STREAMS", "INFO");
    env.put("LOGGER_LEVELS_ORG_APACHE_KAFKA_CLIENTS_CONSUMER_INTERNALS", "INFO");
    return new NodeProcess(name, port, work.resolve(name + ".log"), builder);
  }

  /** Starts the process; every start appends to the same log. */
  NodeProcess start() {
    process.start();
    return this;
  }

  /** Waits until the node reports ready: its Kafka Streams runs and the registry has answered. */
  NodeProcess awaitReady(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (status("/health/readiness") != 200) {
      if (!isRunning()) {
        throw new IllegalStateException(name + " exited before it was ready; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " not ready within " + within.toSeconds() + " s; see " + log);
      }
      sleep(250);
    }
    return this;
  }

  String name() {
    return name;
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  Path log() {
    return log;
  }

  /** How many lines of this node's log (every start of it) contain {@code text}. */
  long logLinesWith(String text) {
    try (var lines = Files.lines(log)) {
      return lines.filter(line -> line.contains(text)).count();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  boolean isRunning() {
    return process.isRunning();
  }

  /** SIGKILL: no chance to commit, close its stores or tell its peers. */
  void kill() {
    process.kill();
  }

  /** SIGTERM, and whether the node exited by itself within {@code within}. */
  boolean terminate(Duration within) {
    return process.terminate(within);
  }

  /** The input partitions this node runs as active tasks, as the group's metadata says. */
  Set<Integer> activePartitions() {
    Set<Integer> partitions = new TreeSet<>();
    for (JsonNode node : nodes()) {
      if (node.path("address").asText().equals(address())) {
        node.path("active").forEach(p -> partitions.add(partitionOf(p.asText())));
      }
    }
    return partitions;
  }

  /** The partitions this node runs as active tasks or keeps standby replicas of. */
  Set<Integer> heldPartitions() {
    Set<Integer> partitions = new TreeSet<>();
    for (JsonNode node : nodes()) {
      if (node.path("address").asText().equals(address())) {
        node.path("active").forEach(p -> partitions.add(partitionOf(p.asText())));
        node.path("standby").forEach(p -> partitions.add(partitionOf(p.asText())));
      }
    }
    return partitions;
  }

  /** {@code GET /nodes}: every node with its active and standby partitions; empty on no answer. */
  List<JsonNode> nodes() {
    List<JsonNode> nodes = new ArrayList<>();
    try {
      HttpResponse<String> answer = get("/nodes");
      if (answer.statusCode() == 200) {
        JSON.readTree(answer.body()).forEach(nodes::add);
      }
    } catch (IOException | RuntimeException e) {
      // no answer: no nodes
    }
    return nodes;
  }

  int status(String path) {
    try {
      return get(path).statusCode();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  HttpResponse<String> get(String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build());
  }

  HttpResponse<String> post(String path, String json) throws IOException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /** Stops the node (SIGTERM, then SIGKILL after 30 s) and its watchdog. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return name + " (" + address() + ")";
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted", e);
    }
  }

  private static int partitionOf(String topicPartition) {
    return Integer.parseInt(topicPartition.substring(topicPartition.lastIndexOf('-') + 1));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }
}
