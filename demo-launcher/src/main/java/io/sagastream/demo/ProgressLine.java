package io.sagastream.demo;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The one-line picture of the run: the time, a bar of ended sagas, and the journal's figures so
 * far, most important first, cut to the terminal's width (a line that wraps cannot be rewritten in
 * place).
 */
final class ProgressLine {

  private static final int BAR_WIDTH = 16;

  private ProgressLine() {}

  /**
   * @param expected the sagas the run waits for
   * @param elapsed since the load began
   * @param maxWidth the longest line to print; whole figures that do not fit are left out
   */
  static String render(JournalTally tally, int expected, Duration elapsed, int maxWidth) {
    int ended = tally.ended();
    int filled =
        expected == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * Math.min(ended, expected) / expected);
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "  %s [%s%s] %d/%d ended",
                clock(elapsed),
                "#".repeat(filled),
                ".".repeat(BAR_WIDTH - filled),
                ended,
                expected));
    List<String> figures =
        List.of(
            tally.completed() + " completed",
            tally.compensated() + " compensated",
            tally.failed() + " failed",
            String.format(Locale.ROOT, "%.0f steps/s", tally.commandsPerSecond()),
            tally.retries() + " retries",
            tally.started() + " started");
    for (String figure : figures) {
      if (line.length() + 2 + figure.length() > maxWidth) {
        break;
      }
      line.append("  ").append(figure);
    }
    return line.toString();
  }

  static String clock(Duration elapsed) {
    long seconds = elapsed.toSeconds();
    return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}
