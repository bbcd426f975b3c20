package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a real group of nodes puts its standbys when the nodes say which zone they are in, as the
 * manifests have them do ({@code client.tag.zone}, {@code rack.aware.assignment.tags=zone}).
 */
@RealInfrastructure
class StandbyZonesIT {

  private static final int PARTITIONS = 6;
  private static final Duration SETTLED = Duration.ofSeconds(90);

  private final List<KafkaStreams> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(node -> node.close(Duration.ofSeconds(30)));
  }

  @Test
  void everyTasksStandbyIsInAnotherZoneThanItsActive(
      KafkaCluster kafka, SchemaRegistryServer server, @TempDir Path state) {
    // given two nodes in one zone and a third in another, one standby per task
    String prefix = "zones" + UUID.randomUUID().toString().substring(0, 6) + ".";
    SagaTopics topics = new SagaTopics(prefix, PARTITIONS, (short) 1);
    SchemaRegistry registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    Map<String, String> zones = new LinkedHashMap<>();
    zones.put("a", "z1");
    zones.put("b", "z1");
    zones.put("c", "z2");

    // when the three start as one group
    zones.forEach(
        (name, zone) ->
            nodes.add(
                DefaultNode.start(
                    prefix + "orchestrator",
                    kafka,
                    state.resolve(name),
                    topics,
                    registry,
                    Map.of(
                        StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                        1,
                        StreamsConfig.CLIENT_TAG_PREFIX + "zone",
                        zone,
                        StreamsConfig.RACK_AWARE_ASSIGNMENT_TAGS_CONFIG,
                        "zone"))));

    // then, once the group has settled, each task runs in one zone and stands by in the other
    List<String> nodeZones = List.copyOf(zones.values());
    await()
        .atMost(SETTLED)
        .untilAsserted(
            () -> {
              assertThat(nodes).allMatch(node -> node.state() == KafkaStreams.State.RUNNING);
              Map<TaskId, List<String>> activeZones = zonesOf(nodeZones, true);
              Map<TaskId, List<String>> standbyZones = zonesOf(nodeZones, false);
              assertThat(activeZones).hasSize(PARTITIONS);
              activeZones.forEach(
                  (task, active) ->
                      assertThat(standbyZones.get(task))
                          .as("zones of the standbys of %s, active in %s", task, active)
                          .hasSize(1)
                          .doesNotContainAnyElementsOf(active));
            });
  }

  /** The zones that hold each task, as active or standby, by what each node says it runs. */
  private Map<TaskId, List<String>> zonesOf(List<String> nodeZones, boolean active) {
    Map<TaskId, List<String>> zones = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (ThreadMetadata thread : nodes.get(i).metadataForLocalThreads()) {
        for (TaskMetadata task : active ? thread.activeTasks() : thread.standbyTasks()) {
          zones.computeIfAbsent(task.taskId(), t -> new ArrayList<>()).add(nodeZones.get(i));
        }
      }
    }
    return zones;
  }
}
