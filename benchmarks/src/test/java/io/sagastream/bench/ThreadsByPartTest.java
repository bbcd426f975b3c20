package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.bench.ThreadsByPart.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadsByPartTest {

  private static final String PREFIX = "bench-1a2b-n1.";
  private static final String APP = WindowCost.app(PREFIX);

  @Test
  void givesEachThreadOfAWindowToThePartItsNameSays() {
    assertThat(ThreadsByPart.of(APP + "-5f0c-StreamThread-1", APP, PREFIX))
        .isEqualTo(Part.STREAM_THREADS);
    assertThat(
            ThreadsByPart.of(
                "kafka-producer-network-thread | " + APP + "-5f0c-StreamThread-1-producer",
                APP,
                PREFIX))
        .isEqualTo(Part.NODE_OTHER);
    assertThat(ThreadsByPart.of(APP + "-5f0c-StateUpdater-1", APP, PREFIX))
        .isEqualTo(Part.NODE_OTHER);
    assertThat(ThreadsByPart.of("saga-worker-" + PREFIX + "payment-payment-0", APP, PREFIX))
        .isEqualTo(Part.PARTICIPANTS);
    assertThat(
            ThreadsByPart.of(
                "kafka-producer-network-thread | producer-" + PREFIX + "echo-0", APP, PREFIX))
        .isEqualTo(Part.PARTICIPANTS);
    assertThat(ThreadsByPart.of("kafka-producer-network-thread | bench-load", APP, PREFIX))
        .isEqualTo(Part.LOAD_AND_JOURNAL);
    assertThat(ThreadsByPart.of("bench-journal", APP, PREFIX)).isEqualTo(Part.LOAD_AND_JOURNAL);
    assertThat(ThreadsByPart.of("data-plane-kafka-request-handler-3", APP, PREFIX))
        .isEqualTo(Part.BROKER);
  }

  @Test
  void countsWhatTheProcessSpentBeyondItsVisibleThreadsAsTheJvms() {
    ThreadsByPart.Snapshot start =
        new ThreadsByPart.Snapshot(
            Map.of(1L, 1_000L, 2L, 500L),
            Map.of(1L, 0L, 2L, 0L),
            Map.of(1L, APP + "-x-StreamThread-1", 2L, "data-plane-kafka-request-handler-0"),
            10_000);
    ThreadsByPart.Snapshot end =
        new ThreadsByPart.Snapshot(
            Map.of(1L, 4_000L, 2L, 1_500L, 3L, 700L),
            Map.of(1L, 0L, 2L, 0L, 3L, 0L),
            Map.of(
                1L,
                APP + "-x-StreamThread-1",
                2L,
                "data-plane-kafka-request-handler-0",
                3L,
                "bench-journal"),
            16_000);

    Map<Part, Long> spent = ThreadsByPart.cpuBetween(start, end, APP, PREFIX);

    assertThat(spent)
        .containsEntry(Part.STREAM_THREADS, 3_000L)
        .containsEntry(Part.BROKER, 1_000L)
        .containsEntry(Part.LOAD_AND_JOURNAL, 700L)
        .containsEntry(Part.PARTICIPANTS, 0L)
        .containsEntry(Part.JVM, 1_300L);
  }

  @Test
  void givesEachPartTheHeapItsThreadsAllocatedAndTheJvmNone() {
    Map<Long, String> names =
        Map.of(
            1L, APP + "-x-StreamThread-1",
            2L, "data-plane-kafka-request-handler-0",
            3L, "saga-worker-" + PREFIX + "stock-stock-0");
    ThreadsByPart.Snapshot start =
        new ThreadsByPart.Snapshot(
            Map.of(1L, 0L, 2L, 0L), Map.of(1L, 10_000L, 2L, 4_000L), names, 0);
    ThreadsByPart.Snapshot end =
        new ThreadsByPart.Snapshot(
            Map.of(1L, 0L, 2L, 0L, 3L, 0L),
            Map.of(1L, 25_000L, 2L, 9_000L, 3L, 2_000L),
            names,
            1_000_000);

    Map<Part, Long> allocated = ThreadsByPart.allocatedBetween(start, end, APP, PREFIX);

    assertThat(allocated)
        .containsEntry(Part.STREAM_THREADS, 15_000L)
        .containsEntry(Part.BROKER, 5_000L)
        .containsEntry(Part.PARTICIPANTS, 2_000L)
        .containsEntry(Part.LOAD_AND_JOURNAL, 0L)
        .containsEntry(Part.JVM, 0L);
  }

  @Test
  void seesThisProcesssOwnThreadsAllocate() {
    ThreadsByPart.Snapshot start = ThreadsByPart.Snapshot.now();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      kept.add("allocated-" + i);
    }
    ThreadsByPart.Snapshot end = ThreadsByPart.Snapshot.now();

    assertThat(kept).hasSize(10_000);
    assertThat(ThreadsByPart.allocatedBetween(start, end, APP, PREFIX).get(Part.BROKER))
        .isGreaterThan(100_000L);
  }

  @Test
  void seesThisProcesssOwnThreadsSpendCpu() {
    ThreadsByPart.Snapshot start = ThreadsByPart.Snapshot.now();
    long sum = 0;
    for (int i = 0; i < 20_000_000; i++) {
      sum += i % 7;
    }
    ThreadsByPart.Snapshot end = ThreadsByPart.Snapshot.now();

    assertThat(sum).isPositive();
    assertThat(ThreadsByPart.cpuBetween(start, end, APP, PREFIX).get(Part.BROKER)).isPositive();
  }
}
