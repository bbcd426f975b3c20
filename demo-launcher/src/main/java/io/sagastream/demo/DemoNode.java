package io.sagastream.demo;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sagastream.testing.LoopbackPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One orchestrator node in this process: the application as {@code java -jar
 * sagastream-orchestrator.jar} runs it, in a Micronaut context of its own, on a free loopback port.
 */
public final class DemoNode implements AutoCloseable {

  private static final Duration READY_WITHIN = Duration.ofSeconds(120);

  private final EmbeddedServer server;
  private final OrchestratorApi api;

  private DemoNode(EmbeddedServer server) {
    this.server = server;
    this.api = new OrchestratorApi("http://127.0.0.1:" + server.getPort());
  }

  /**
   * The settings of a node of the demo's orchestrator: nodes of one demo share the application id
   * (the consumer group) and the topic prefix, and each has its own port and state directory.
   */
  public record Settings(
      String applicationId,
      String topicPrefix,
      int partitions,
      String bootstrapServers,
      String registryUrl,
      Path stateDir,
      Map<String, Object> kafkaClient) {}

  /** Starts a node and waits until it is ready (its Kafka Streams runs). */
  public static DemoNode start(Settings settings) {
    return start(settings, Map.of());
  }

  /**
   * Starts a node with {@code overrides} on top of the demo's settings (Micronaut property names,
   * such as {@code sagastream.standby-replicas}), and waits until it is ready.
   */
  public static DemoNode start(Settings settings, Map<String, Object> overrides) {
    int port = LoopbackPorts.free();
    Map<String, Object> properties = properties(settings, port);
    properties.putAll(overrides);
    DemoNode node = new DemoNode(ApplicationContext.run(EmbeddedServer.class, properties));
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (!node.api.ready()) {
      if (System.nanoTime() > deadline) {
        node.close();
        throw new IllegalStateException(
            "Orchestrator node "
                + node.url()
                + " not ready within "
                + READY_WITHIN.toSeconds()
                + " s");
      }
      sleep(200);
    }
    return node;
  }

  /**
   * The node's configuration; the Kafka client properties go under {@code kafka.streams.default},
   * where a node started by {@code java -jar} reads them from {@code KAFKA_STREAMS_DEFAULT_*}.
   */
  static Map<String, Object> properties(Settings settings, int port) {
    Map<String, Object> properties = new HashMap<>();
    settings
        .kafkaClient()
        .forEach((name, value) -> properties.put("kafka.streams.default." + name, value));
    properties.put("micronaut.server.host", "127.0.0.1");
    properties.put("micronaut.server.port", port);
    // Other nodes pass on calls about keys this node owns to this address.
    properties.put("kafka.streams.default.application.server", "127.0.0.1:" + port);
    properties.put("sagastream.application-id", settings.applicationId());
    properties.put("sagastream.bootstrap-servers", settings.bootstrapServers());
    properties.put("sagastream.schema-registry-url", settings.registryUrl());
    properties.put("sagastream.topic-prefix", settings.topicPrefix());
    properties.put("sagastream.partitions", settings.partitions());
    properties.put("sagastream.state-dir", settings.stateDir().toString());
    properties.put("sagastream.shutdown-timeout", "PT15S");
    // A demo on loopback: the API answers anyone, and the launcher says so on start-up.
    properties.put("sagastream.security.enabled", false);
    // Counts instances by status for /prometheus soon after the load, not 30 s later.
    properties.put("sagastream.recovery-interval", "PT5S");
    return properties;
  }

  public String url() {
    return api.baseUrl();
  }

  public OrchestratorApi api() {
    return api;
  }

  /** The node's Micronaut context: its beans, such as the meter registry. */
  public ApplicationContext context() {
    return server.getApplicationContext();
  }

  @Override
  public void close() {
    server.getApplicationContext().close();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a node", e);
    }
  }
}
