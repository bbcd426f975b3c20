package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarFile;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged node as operators run it: {@code java -jar} with settings from environment
 * variables, stopped with SIGTERM.
 */
@RealInfrastructure
class PackagedNodeIT {

  static final String WAITING_DEFINITION =
      """
      {"name": "waits",
       "data": {"schema": {"type": "record", "name": "Job", "namespace": "jobs",
                           "fields": [{"name": "id", "type": "string"}]}},
       "steps": [{"name": "confirmed",
                  "receive": {"message": "Confirmed", "timeout": "PT1H",
                              "schema": {"type": "record", "name": "Confirmed", "namespace": "jobs",
                                         "fields": []}}}]}""";

  @Test
  void theJarGrantsNativeAccessSoThatJava22AndLaterLoadRocksDbWithoutAWarning() throws Exception {
    // given the fat jar
    try (JarFile jar = new JarFile(PackagedNode.JAR.toFile())) {
      // when its manifest is read
      String granted = jar.getManifest().getMainAttributes().getValue("Enable-Native-Access");

      // then it grants the class path native access, as java -jar reads it
      assertThat(granted).isEqualTo("ALL-UNNAMED");
    }
  }

  @Test
  void aStaticMemberToldNotToHandOffStoppedBySigtermClosesCleanlyStaysInTheGroupAndComesBack(
      KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path work) throws Exception {
    // given the fat jar running with its settings in the environment, among them static
    // membership without hand-off on shutdown
    String prefix = "jar" + UUID.randomUUID().toString().substring(0, 6) + ".";
    // and Kafka Streams settings passed through from the environment, as the StatefulSet passes
    // them
    Map<String, String> streamsSettings =
        Map.of(
            "KAFKA_STREAMS_DEFAULT_CLIENT_ID", prefix + "client",
            "KAFKA_STREAMS_DEFAULT_CLIENT_TAG_ZONE", "z-zone-a",
            "KAFKA_STREAMS_DEFAULT_RACK_AWARE_ASSIGNMENT_TAGS", "zone",
            "SAGASTREAM_HAND_OFF_ON_SHUTDOWN", "false",
            "SAGASTREAM_STORE_MEMORY", "48MB");
    try (PackagedNode node =
        PackagedNode.of(kafka, registry, prefix, "node-0", work, streamsSettings).start()) {
      node.awaitReady();
      // and a saga in its stores
      assertThat(node.post("/definitions", WAITING_DEFINITION)).isEqualTo(201);
      assertThat(
              node.post(
                  "/sagas",
                  "{\"definition\": \"waits\", \"key\": \"k-1\", \"data\": {\"id\": \"1\"}}"))
          .isEqualTo(202);
      await().atMost(Duration.ofSeconds(30)).until(() -> node.status("/sagas/k-1/waits") == 200);
      // (the node took its address from the environment too: it names itself as the answerer)
      assertThat(node.answeredBy("/sagas/k-1/waits")).contains(node.address());
      // (and its stores share the off-heap memory SAGASTREAM_STORE_MEMORY gave them, 48 MiB)
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  assertThat(blockCacheCapacities(node.getJson("/prometheus").body()))
                      .isNotEmpty()
                      .containsOnly(48.0 * 1024 * 1024));

      // when it gets SIGTERM
      boolean exited = node.terminate();

      // then it exits by itself, having closed Kafka Streams within the shutdown timeout
      assertThat(exited).as(node.log()).isTrue();
      assertThat(node.log()).contains("staying in the group").contains("Kafka Streams closed");
      // and, a static member, it is still in the group: a restart gets its partitions back
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        List<MemberDescription> members =
            List.copyOf(
                admin
                    .describeConsumerGroups(List.of(prefix + "node"))
                    .all()
                    .get()
                    .get(prefix + "node")
                    .members());
        assertThat(members)
            .anySatisfy(
                m ->
                    assertThat(m.groupInstanceId())
                        .hasValueSatisfying(id -> assertThat(id).startsWith("node-0")));
        // with the client.id it was given in KAFKA_STREAMS_DEFAULT_CLIENT_ID
        assertThat(members).allSatisfy(m -> assertThat(m.clientId()).startsWith(prefix + "client"));
      }

      // and restarted with the same identity and state, it serves its saga again
      node.start();
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> node.status("/sagas/k-1/waits") == 200);
    }
  }

  /** Each store's block cache capacity, as the node's Prometheus endpoint shows it. */
  private static List<Double> blockCacheCapacities(String prometheus) {
    return prometheus
        .lines()
        .filter(line -> line.startsWith("kafka_stream_state_block_cache_capacity{"))
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .toList();
  }
}
