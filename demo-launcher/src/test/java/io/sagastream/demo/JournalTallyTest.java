package io.sagastream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JournalTallyTest {

  @Test
  void percentilesAreNearestRankOfTheEndedSagas() {
    // given a hundred sagas that took 1 s to 100 s
    List<Duration> latencies = IntStream.rangeClosed(1, 100).mapToObj(Duration::ofSeconds).toList();
    JournalTally tally = tally(100, latencies, Instant.EPOCH, Instant.EPOCH.plusSeconds(100));

    // then the median is the 50th, the 99th percentile the 99th
    assertThat(tally.latencyPercentile(0.50)).contains(Duration.ofSeconds(50));
    assertThat(tally.latencyPercentile(0.99)).contains(Duration.ofSeconds(99));
    assertThat(tally.latencyPercentile(1.0)).contains(Duration.ofSeconds(100));
  }

  @Test
  void withOneSagaEveryPercentileIsItsLatencyAndWithNoneThereIsNone() {
    assertThat(
            tally(0, List.of(Duration.ofMillis(700)), Instant.EPOCH, Instant.EPOCH)
                .latencyPercentile(0.01))
        .contains(Duration.ofMillis(700));
    assertThat(JournalTally.EMPTY.latencyPercentile(0.5)).isEmpty();
  }

  @Test
  void stepsPerSecondCountFromTheFirstStartToTheNewestEvent() {
    JournalTally tally = tally(500, List.of(), Instant.EPOCH, Instant.EPOCH.plusSeconds(4));

    assertThat(tally.commandsPerSecond()).isEqualTo(125.0);
    assertThat(JournalTally.EMPTY.commandsPerSecond()).isZero();
  }

  private static JournalTally tally(
      long commands, List<Duration> latencies, Instant firstStart, Instant lastEvent) {
    return new JournalTally(
        latencies.size(),
        latencies.size(),
        0,
        0,
        commands,
        0,
        0,
        latencies,
        Optional.of(firstStart),
        Optional.of(lastEvent));
  }
}
