package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
