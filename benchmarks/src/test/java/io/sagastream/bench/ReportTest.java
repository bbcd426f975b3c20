package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
    String report = reportOf(measured(Map.of()));

    List<String> table = table(report, "| nodes | load | sagas/s");
    assertThat(table).hasSize(4);
    long columns = table.get(0).chars().filter(c -> c == '|').count();
    assertThat(table.get(2).chars().filter(c -> c == '|').count()).isEqualTo(columns);
    assertThat(table.get(2))
        .contains("| 70 ms / 30 ms; 80 ms / 40 ms |")
        .contains("| 64% / 10% |")
        .contains("| 3, 30 ms; 50% / 10% |");
  }

  @Test
  void shouldGiveEachPartsCpuPerStepInATableOfItsOwn() {
    Map<ThreadsByPart.Part, Double> parts = new EnumMap<>(ThreadsByPart.Part.class);
    parts.put(ThreadsByPart.Part.STREAM_THREADS, 195.0);
    parts.put(ThreadsByPart.Part.NODE_OTHER, 41.0);
    parts.put(ThreadsByPart.Part.BROKER, 96.0);
    parts.put(ThreadsByPart.Part.PARTICIPANTS, 20.0);
    parts.put(ThreadsByPart.Part.LOAD_AND_JOURNAL, 22.0);
    parts.put(ThreadsByPart.Part.JVM, 30.0);

    String report = reportOf(measured(parts));

    List<String> table = table(report, "| nodes | load | node stream threads");
    assertThat(table).hasSize(4);
    assertThat(table.get(2)).isEqualTo("| 1 | peak | 195 | 41 | 96 | 20 | 22 | 30 | 400 |");
    assertThat(table.get(3)).startsWith("| 1 | half | 195 |");
    assertThat(Report.line(measured(parts)))
        .contains("node stream threads 195 µs, nodes' other threads")
        .contains("JVM (garbage collector, JIT compiler) 30 µs");
  }

  @Test
  void shouldGiveTheHeapEachPartAllocatedPerStepInATableOfItsOwnWithoutTheJvm() {
    Map<ThreadsByPart.Part, Double> allocated = new EnumMap<>(ThreadsByPart.Part.class);
    allocated.put(ThreadsByPart.Part.STREAM_THREADS, 8.0);
    allocated.put(ThreadsByPart.Part.NODE_OTHER, 1.0);
    allocated.put(ThreadsByPart.Part.BROKER, 15.5);
    allocated.put(ThreadsByPart.Part.PARTICIPANTS, 1.0);
    allocated.put(ThreadsByPart.Part.LOAD_AND_JOURNAL, 4.5);
    allocated.put(ThreadsByPart.Part.JVM, 0.0);

    String report = reportOf(measured(Map.of(), allocated));

    List<String> table = table(report, "| nodes | load | node stream threads");
    List<String> allocation = table(report.substring(report.indexOf("Heap allocated")), "| nodes");
    assertThat(table.get(0)).contains("JVM");
    assertThat(allocation.get(0)).doesNotContain("JVM").endsWith("| whole process |");
    assertThat(allocation.get(2)).isEqualTo("| 1 | peak | 8.0 | 1.0 | 15.5 | 1.0 | 4.5 | 30.0 |");
    assertThat(Report.line(measured(Map.of(), allocated)))
        .contains("heap allocated per step by part: node stream threads 8.0 KB,")
        .doesNotContain("JVM (garbage collector, JIT compiler) 0.0 KB");
  }

  @Test
  void shouldSplitTheWayBackWhereAReadCommittedReaderSawTheReply() {
    String line = Report.line(measured(Map.of()));

    assertThat(line)
        .contains("back p50 30 ms p99 40 ms")
        .contains("until read_committed could see the reply p50 10 ms p99 15 ms")
        .contains("then at the node p50 20 ms p99 25 ms");
  }

  private static String reportOf(SagaBench.Measured measured) {
    return Report.render(
        BenchOptions.parse(new String[] {"--quick"}),
        new MachineInfo("cpu", 2, "1 GiB", "jdk", "os", "0 0 0"),
        "0 0 0",
        Duration.ofMinutes(1),
        null,
        List.of(new SagaBench.Result(1, 1000, measured, 50, measured)),
        null,
        null);
  }

  /** The lines of the table whose header starts with {@code header}, up to the blank line. */
  private static List<String> table(String report, String header) {
    List<String> lines = report.lines().toList();
    int start =
        lines.indexOf(lines.stream().filter(l -> l.startsWith(header)).findFirst().orElseThrow());
    int end = start;
    while (end < lines.size() && lines.get(end).startsWith("|")) {
      end++;
    }
    return lines.subList(start, end);
  }

  private static SagaBench.Measured measured(Map<ThreadsByPart.Part, Double> parts) {
    return measured(parts, Map.of());
  }

  private static SagaBench.Measured measured(
      Map<ThreadsByPart.Part, Double> parts, Map<ThreadsByPart.Part, Double> allocated) {
    return new SagaBench.Measured(
        new Journal.Window(
            30_000,
            3_000,
            14_100,
            1_000,
            samples(100, 120),
            samples(1_000, 2_000),
            samples(70, 80),
            samples(30, 40),
            samples(10, 15),
            samples(20, 25),
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
        0.1,
        parts,
        allocated);
  }

  private static Samples samples(long... values) {
    Samples samples = new Samples();
    for (long value : values) {
      samples.add(value);
    }
    return samples;
  }
}
