package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagastream.contracts.SagaHeaders;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.ScriptedParticipant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static members: a node stopped with SIGTERM hands its partitions to its peer and gets some back
 * when it returns (its peer does not take its silence for a crash); a node killed with SIGKILL,
 * whose partitions the group would move only after the session timeout (45 s), is taken over by its
 * peer once silent past the lease.
 */
@RealInfrastructure
class FailoverIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aNodeStoppedForARestartHandsItsPartitionsOffAndAKilledNodesMoveLongBeforeTheSessionTimeout(
      KafkaCluster kafka, SchemaRegistryServer registry, @TempDir Path work) throws Exception {
    // given two packaged nodes, static members, and a participant that answers every command
    String prefix = "fo" + UUID.randomUUID().toString().substring(0, 6) + ".";
    kafka.createTopic(prefix + "work.commands", 2, 1, Map.of());
    try (PackagedNode first = PackagedNode.of(kafka, registry, prefix, "node-a", work, Map.of());
        PackagedNode second = PackagedNode.of(kafka, registry, prefix, "node-b", work, Map.of());
        ScriptedParticipant participant =
            ScriptedParticipant.start(
                kafka,
                prefix + "participant",
                List.of(prefix + "work.commands"),
                command -> Optional.of(SagaHeaders.OUTCOME_SUCCESS))) {
      first.start();
      second.start();
      first.awaitReady();
      second.awaitReady();
      await().atMost(Duration.ofSeconds(60)).until(() -> bothRunPartitions(first));
      assertThat(first.post("/definitions", TwoNodesApiIT.WORK_DEFINITION.formatted(prefix)))
          .isEqualTo(201);
      startAndAwait(first, "before", 10, Duration.ofSeconds(60));

      // when the second node is stopped with SIGTERM for a restart
      assertThat(second.terminate()).isTrue();

      // then its peer runs every partition while it is away, without taking it over: sagas on
      // every key complete in the meantime
      startAndAwait(first, "away", 10, Duration.ofSeconds(30));
      assertThat(first.log()).contains("Peer " + second.address() + " is shutting down");
      assertThat(first.log()).doesNotContain("removed");
      assertThat(second.log()).contains("leaving the group");

      // and once back, it runs partitions again
      second.start().awaitReady();
      await().atMost(Duration.ofSeconds(60)).until(() -> bothRunPartitions(first));
      startAndAwait(first, "restarted", 4, Duration.ofSeconds(60));

      // when the second node is killed, and sagas keep coming
      long killedAt = System.nanoTime();
      second.kill();
      startAndAwait(first, "after", 10, Duration.ofSeconds(30));
      long gapMillis = (System.nanoTime() - killedAt) / 1_000_000;

      // then they all completed well inside the 45 s the group alone would have waited,
      // because the survivor took the dead node out of the group
      System.out.printf("FAILOVER kill -9 to 10 new sagas completed: %d ms%n", gapMillis);
      first.log().lines().filter(l -> l.contains("PeerWatch")).forEach(System.out::println);
      assertThat(first.log()).contains("Peer " + second.address());
      assertThat(first.log()).containsPattern("removed [1-9][0-9]* member");
    }
  }

  private static void startAndAwait(PackagedNode node, String prefix, int count, Duration within) {
    IntStream.range(0, count)
        .forEach(
            i ->
                assertThat(
                        node.post(
                            "/sagas",
                            "{\"definition\": \"work\", \"key\": \"%s-%d\", \"data\": {\"id\": \"%d\"}}"
                                .formatted(prefix, i, i)))
                    .isEqualTo(202));
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                IntStream.range(0, count)
                    .allMatch(i -> completed(node, "/sagas/" + prefix + "-" + i + "/work")));
  }

  private static boolean completed(PackagedNode node, String path) {
    try {
      var answer = node.getJson(path);
      return answer.statusCode() == 200
          && JSON.readTree(answer.body()).path("status").asText().equals("COMPLETED")
          && !JSON.readTree(answer.body()).path("stale").asBoolean();
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean bothRunPartitions(PackagedNode node) {
    try {
      var nodes = JSON.readTree(node.getJson("/nodes").body());
      return nodes.size() == 2
          && nodes.get(0).path("active").size() > 0
          && nodes.get(1).path("active").size() > 0;
    } catch (Exception e) {
      return false;
    }
  }
}
