package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  @TempDir Path dir;

  @Test
  void shouldReplaceOnlyTheFiguresBetweenTheMarkers() throws Exception {
    Path file = dir.resolve("BENCHMARKS.md");
    Files.writeString(
        file,
        "# Benchmarks\n\nprose before\n\n"
            + Report.BEGIN
            + "\n\nold figures\n"
            + Report.END
            + "\n\nprose after\n");

    Report.write(file, "new figures\n");

    assertThat(Files.readString(file))
        .isEqualTo(
            "# Benchmarks\n\nprose before\n\n"
                + Report.BEGIN
                + "\n\nnew figures\n"
                + Report.END
                + "\n\nprose after\n");
  }

  @Test
  void shouldWriteANewFileWithAHeading() throws Exception {
    Path file = dir.resolve("BENCHMARKS.md");

    Report.write(file, "figures\n");

    assertThat(Files.readString(file))
        .startsWith("# Benchmarks")
        .contains(Report.BEGIN + "\n\nfigures\n" + Report.END);
  }

  @Test
  void shouldGiveEverySagaRowAsManyColumnsAsTheHeaderWithTheRoundTripSplit() {
    SagaBench.Measured measured =
        new SagaBench.Measured(
            new Journal.Window(
                30_000,
                3_000,
                14_100,
                1_000,
                samples(100, 120),
                samples(1_000, 2_000),
                samples(70, 80),
                samples(30, 40),
                samples(300, 400),
                0,
                0,
                0),
            200,
            400,
            new MachineTime.Share(60, 2),
            12.7,
            0.64,
            0.10,
            0.02,
            0,
            0,
            new GcPauses(3, 90),
            0.5,
            0.1);

    String report =
        Report.render(
            BenchOptions.parse(new String[] {"--quick"}),
            new MachineInfo("cpu", 2, "1 GiB", "jdk", "os", "0 0 0"),
            "0 0 0",
            Duration.ofMinutes(1),
            null,
            List.of(new SagaBench.Result(1, measured, 50, measured)),
            null,
            null);

    List<String> table =
        report
            .lines()
            .filter(line -> line.startsWith("| nodes") || line.startsWith("| 1 |"))
            .toList();
    assertThat(table).hasSize(3);
    long columns = table.get(0).chars().filter(c -> c == '|').count();
    assertThat(table.get(1).chars().filter(c -> c == '|').count()).isEqualTo(columns);
    assertThat(table.get(1))
        .contains("| 70 ms / 30 ms; 80 ms / 40 ms |")
        .contains("| 64% / 10% |")
        .contains("| 3, 30 ms; 50% / 10% |");
  }

  private static Samples samples(long... values) {
    Samples samples = new Samples();
    for (long value : values) {
      samples.add(value);
    }
    return samples;
  }
}
