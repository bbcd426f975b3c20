package io.sagastream.demo;

import io.sagastream.testing.ApicurioRegistryProcess;
import io.sagastream.testing.EmbeddedKafkaCluster;
import io.sagastream.worker.KafkaEnvironment;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Kafka and the schema registry the demo runs on: the ones the options name, or a Kafka broker
 * (KRaft, in this process) and an Apicurio Registry (a child process) started for the demo, both on
 * 127.0.0.1. What it starts is handed to {@link Resources} to be stopped.
 *
 * @param kafka its address is the bootstrap servers
 * @param registry its address is the URL of the Confluent-compatible API
 * @param kafkaClient Kafka client properties for every client of the demo (nodes, participants,
 *     journal reader): a given Kafka's security, from {@code SAGASTREAM_KAFKA_*}; none for the
 *     embedded one, which is plain
 */
record Infrastructure(Endpoint kafka, Endpoint registry, Map<String, Object> kafkaClient) {

  Infrastructure {
    kafkaClient = Map.copyOf(kafkaClient);
  }

  /** Where a part is, and how to describe it in the summary. */
  record Endpoint(String address, String description) {}

  static Infrastructure start(DemoOptions options, Resources resources, Console console) {
    // The registry takes longest to start: both start at once.
    CompletableFuture<Endpoint> kafka =
        CompletableFuture.supplyAsync(
            () ->
                options
                    .kafka()
                    .map(given -> new Endpoint(given, given + " (given)"))
                    .orElseGet(() -> startKafka(resources, console)));
    CompletableFuture<Endpoint> registry =
        CompletableFuture.supplyAsync(
            () ->
                options
                    .registry()
                    .map(given -> new Endpoint(given, given + " (given)"))
                    .orElseGet(() -> startRegistry(resources, console)));
    try {
      return new Infrastructure(
          kafka.join(), registry.join(), kafkaClient(options, System.getenv()));
    } catch (CompletionException e) {
      // Let the other part finish starting, so that it is in resources and gets stopped.
      CompletableFuture.allOf(kafka, registry).exceptionally(x -> null).join();
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /**
   * The Kafka client properties that {@code SAGASTREAM_KAFKA_<NAME>} and {@code
   * SAGASTREAM_KAFKA_<NAME>_FILE} set (as for any worker, see {@link KafkaEnvironment}), when the
   * demo runs on a given Kafka; the Kafka it starts itself takes none.
   */
  static Map<String, Object> kafkaClient(DemoOptions options, Map<String, String> env) {
    return options.kafka().isPresent() ? KafkaEnvironment.properties(env) : Map.of();
  }

  private static Endpoint startKafka(Resources resources, Console console) {
    long started = System.nanoTime();
    EmbeddedKafkaCluster cluster = resources.add("Kafka", EmbeddedKafkaCluster.singleNode());
    console.step("Kafka (KRaft, in this process) at " + cluster.bootstrapServers(), started);
    return new Endpoint(
        cluster.bootstrapServers(), cluster.bootstrapServers() + " (embedded, KRaft)");
  }

  private static Endpoint startRegistry(Resources resources, Console console) {
    long started = System.nanoTime();
    ApicurioDistribution distribution = ApicurioDistribution.find();
    ApicurioRegistryProcess process =
        resources.add(
            "schema registry",
            ApicurioRegistryProcess.start(distribution.archive(), distribution.version()));
    String name = "Apicurio Registry " + distribution.version();
    console.step(name + " at " + process.url(), started);
    return new Endpoint(process.url(), process.url() + " (" + name + ")");
  }
}
