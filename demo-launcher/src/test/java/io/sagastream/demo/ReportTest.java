package io.sagastream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The progress line and the summary as they are printed. */
class ReportTest {

  private final JournalTally tally =
      new JournalTally(
          50,
          40,
          8,
          1,
          200,
          12,
          2,
          List.of(Duration.ofMillis(900), Duration.ofMillis(1500), Duration.ofMillis(4000)),
          Optional.of(Instant.EPOCH),
          Optional.of(Instant.EPOCH.plusSeconds(10)));

  @Test
  void theProgressLineFillsItsBarByTheShareOfEndedSagas() {
    String line = ProgressLine.render(tally, 98, Duration.ofSeconds(75), Integer.MAX_VALUE);

    assertThat(line)
        .isEqualTo(
            "  1:15 [########........] 49/98 ended  40 completed  8 compensated  1 failed"
                + "  20 steps/s  12 retries  50 started");
  }

  @Test
  void onANarrowTerminalTheProgressLineLeavesOutWholeFiguresFromTheEnd() {
    String line = ProgressLine.render(tally, 98, Duration.ofSeconds(75), 79);

    assertThat(line)
        .hasSizeLessThanOrEqualTo(79)
        .endsWith("  8 compensated  1 failed")
        .doesNotContain("steps/s");
  }

  @Test
  void theSummaryGivesTheJournalsFiguresAndWhereToLook() {
    DemoSummary summary =
        new DemoSummary(
            50,
            50,
            0,
            Optional.empty(),
            tally,
            Duration.ofSeconds(42),
            new DemoSummary.Where(
                List.of("http://127.0.0.1:1001", "http://127.0.0.1:1002"),
                "127.0.0.1:9092 (given)",
                "http://127.0.0.1:8081/apis/ccompat/v7 (given)",
                "demo-abc.",
                Path.of("/tmp/demo.log")));

    String text = summary.render();

    assertThat(text)
        .containsPattern("completed\\s+40\\b")
        .containsPattern("compensated\\s+8\\b")
        .containsPattern("failed\\s+1\\b")
        .containsPattern("still running\\s+1\\b")
        .contains("200   commands to participants, 20.0 per second")
        .contains("10.00 s from the first start to the last end, 42.00 s in all")
        .containsPattern("retries\\s+12\\s+\\(2 attempts timed out\\)")
        .contains("p50 1.50 s, p99 4.00 s")
        .contains("orchestrator node 2  http://127.0.0.1:1002")
        .contains("http://127.0.0.1:1001/prometheus")
        .contains("topic demo-abc.saga.events");
    assertThat(summary.allEnded()).isFalse();
  }
}
