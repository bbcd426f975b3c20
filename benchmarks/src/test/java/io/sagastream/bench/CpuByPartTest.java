package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.bench.CpuByPart.Part;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuByPartTest {

  private static final String PREFIX = "bench-1a2b-n1.";
  private static final String APP = WindowCost.app(PREFIX);

  @Test
  void givesEachThreadOfAWindowToThePartItsNameSays() {
    assertThat(CpuByPart.of(APP + "-5f0c-StreamThread-1", APP, PREFIX))
        .isEqualTo(Part.STREAM_THREADS);
    assertThat(
            CpuByPart.of(
                "kafka-producer-network-thread | " + APP + "-5f0c-StreamThread-1-producer",
                APP,
                PREFIX))
        .isEqualTo(Part.NODE_OTHER);
    assertThat(CpuByPart.of(APP + "-5f0c-StateUpdater-1", APP, PREFIX)).isEqualTo(Part.NODE_OTHER);
    assertThat(CpuByPart.of("saga-worker-" + PREFIX + "payment-payment-0", APP, PREFIX))
        .isEqualTo(Part.PARTICIPANTS);
    assertThat(
            CpuByPart.of(
                "kafka-producer-network-thread | producer-" + PREFIX + "echo-0", APP, PREFIX))
        .isEqualTo(Part.PARTICIPANTS);
    assertThat(CpuByPart.of("kafka-producer-network-thread | bench-load", APP, PREFIX))
        .isEqualTo(Part.LOAD_AND_JOURNAL);
    assertThat(CpuByPart.of("bench-journal", APP, PREFIX)).isEqualTo(Part.LOAD_AND_JOURNAL);
    assertThat(CpuByPart.of("data-plane-kafka-request-handler-3", APP, PREFIX))
        .isEqualTo(Part.BROKER);
  }

  @Test
  void countsWhatTheProcessSpentBeyondItsVisibleThreadsAsTheJvms() {
    CpuByPart.Snapshot start =
        new CpuByPart.Snapshot(
            Map.of(1L, 1_000L, 2L, 500L),
            Map.of(1L, APP + "-x-StreamThread-1", 2L, "data-plane-kafka-request-handler-0"),
            10_000);
    CpuByPart.Snapshot end =
        new CpuByPart.Snapshot(
            Map.of(1L, 4_000L, 2L, 1_500L, 3L, 700L),
            Map.of(
                1L,
                APP + "-x-StreamThread-1",
                2L,
                "data-plane-kafka-request-handler-0",
                3L,
                "bench-journal"),
            16_000);

    Map<Part, Long> spent = CpuByPart.between(start, end, APP, PREFIX);

    assertThat(spent)
        .containsEntry(Part.STREAM_THREADS, 3_000L)
        .containsEntry(Part.BROKER, 1_000L)
        .containsEntry(Part.LOAD_AND_JOURNAL, 700L)
        .containsEntry(Part.PARTICIPANTS, 0L)
        .containsEntry(Part.JVM, 1_300L);
  }

  @Test
  void seesThisProcesssOwnThreadsSpendCpu() {
    CpuByPart.Snapshot start = CpuByPart.Snapshot.now();
    long sum = 0;
    for (int i = 0; i < 20_000_000; i++) {
      sum += i % 7;
    }
    CpuByPart.Snapshot end = CpuByPart.Snapshot.now();

    assertThat(sum).isPositive();
    assertThat(CpuByPart.between(start, end, APP, PREFIX).get(Part.BROKER)).isPositive();
  }
}
