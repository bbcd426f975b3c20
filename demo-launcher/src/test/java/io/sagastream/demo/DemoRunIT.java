package io.sagastream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.contracts.v1.SagaCompensated;
import io.sagastream.contracts.v1.SagaCompleted;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaFailed;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** The demo's main flow, end to end with a small load, on the test run's Kafka and registry. */
@RealInfrastructure
class DemoRunIT {

  @Test
  void aSmallRunEndsEverySagaAndItsSummaryMatchesTheJournal(
      KafkaCluster kafka, SchemaRegistryServer registry) throws Exception {
    // given fifty sagas on the test's Kafka and registry, with faults that compensate some
    DemoOptions options =
        DemoOptions.parse(
            List.of(
                "--sagas", "50",
                "--kafka", kafka.bootstrapServers(),
                "--registry", registry.url(),
                "--failure-rate", "0.1",
                "--retryable-failure-rate", "0.1"));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Console console =
        new Console(new PrintStream(printed, true, StandardCharsets.UTF_8), false, 80);
    Resources resources = new Resources();
    String runId = "it" + UUID.randomUUID().toString().substring(0, 4);

    // when the demo runs
    DemoSummary summary;
    try {
      summary =
          new DemoRun(options, runId, Path.of("target", "demo-it.log"), console, resources).run();
      console.line(summary.render());
    } finally {
      resources.closeAll();
    }

    // then every saga ended, some compensated
    assertThat(summary.allEnded()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
    assertThat(summary.completed() + summary.compensated() + summary.failed()).isEqualTo(50);
    assertThat(summary.compensated()).isPositive();
    // and each saga has exactly one terminal event in the journal, which the summary counts
    Map<String, List<String>> terminal =
        terminalEventsBySaga(kafka, registry, summary.where().topicPrefix() + "saga.events");
    assertThat(terminal).hasSize(50).allSatisfy((key, events) -> assertThat(events).hasSize(1));
    Map<String, Long> byType =
        terminal.values().stream()
            .map(events -> events.get(0))
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(byType.getOrDefault("SagaCompleted", 0L)).isEqualTo(summary.completed());
    assertThat(byType.getOrDefault("SagaCompensated", 0L)).isEqualTo(summary.compensated());
    assertThat(byType.getOrDefault("SagaFailed", 0L)).isEqualTo(summary.failed());
    // and so does the printed summary, with the progress line before it
    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("50/50 ended")
        .containsPattern("completed\\s+" + summary.completed() + "\\b")
        .containsPattern("compensated\\s+" + summary.compensated() + "\\b")
        .containsPattern("failed\\s+" + summary.failed() + "\\b")
        .contains("p50 ", "p99 ", "/prometheus");
    // and the run left no temporary state behind
    try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(dirs.map(Path::getFileName).map(Path::toString))
          .noneMatch(name -> name.startsWith("sagastream-demo-" + runId));
    }
  }

  @Test
  void withoutAddressesTheDemoStartsItsOwnKafkaAndRegistryAndStopsThemAgain() throws Exception {
    // given no Kafka or registry to use, and a few sagas without faults
    DemoOptions options =
        DemoOptions.parse(
            List.of("--sagas", "10", "--failure-rate", "0", "--retryable-failure-rate", "0"));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Console console =
        new Console(new PrintStream(printed, true, StandardCharsets.UTF_8), false, 80);
    Resources resources = new Resources();

    // when the demo runs and stops
    DemoSummary summary;
    try {
      summary =
          new DemoRun(
                  options,
                  "own" + UUID.randomUUID().toString().substring(0, 4),
                  Path.of("target", "demo-it.log"),
                  console,
                  resources)
              .run();
    } finally {
      resources.closeAll();
    }

    // then its own broker and registry served the run, on loopback, and are gone afterwards
    assertThat(summary.completed()).as(printed.toString(StandardCharsets.UTF_8)).isEqualTo(10);
    assertThat(summary.where().kafka()).startsWith("127.0.0.1:").endsWith("(embedded, KRaft)");
    assertThat(summary.where().registry()).startsWith("http://127.0.0.1:").contains("Apicurio");
    assertThat(listening(summary.where().kafka().split(" ")[0])).isFalse();
    assertThat(
            listening(java.net.URI.create(summary.where().registry().split(" ")[0]).getAuthority()))
        .isFalse();
    for (String node : summary.where().nodeUrls()) {
      assertThat(listening(java.net.URI.create(node).getAuthority())).isFalse();
    }
  }

  private static boolean listening(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    try (var socket = new java.net.Socket()) {
      socket.connect(
          new java.net.InetSocketAddress(
              hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1))),
          1_000);
      return true;
    } catch (java.io.IOException refused) {
      return false;
    }
  }

  /** The terminal events of each saga key in the journal, read committed, to its end. */
  private static Map<String, List<String>> terminalEventsBySaga(
      KafkaCluster kafka, SchemaRegistryServer server, String topic) {
    Map<String, List<String>> terminal = new HashMap<>();
    try (SchemaRegistry registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
      var deserializer = AvroDeserializer.specific(registry, SagaEvent.class);
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          SagaEvent event = deserializer.deserialize(topic, record.value());
          Object what = event.getEvent();
          if (what instanceof SagaCompleted
              || what instanceof SagaCompensated
              || what instanceof SagaFailed) {
            terminal
                .computeIfAbsent(event.getSagaKey(), k -> new ArrayList<>())
                .add(what.getClass().getSimpleName());
          }
        }
      }
    }
    return terminal;
  }
}
