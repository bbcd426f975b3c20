package io.sagastream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleTest {

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void onATerminalTheProgressLineRewritesItselfAndLinesClearItFirst() {
    Console console = new Console(out, true, 80);

    console.progress("12/50 ended, long line", false);
    console.progress("13/50 ended", false);
    console.line("a step");
    console.progress("50/50 ended", true);

    assertThat(text())
        .isEqualTo(
            "\r12/50 ended, long line"
                + "\r13/50 ended           "
                + "\r"
                + " ".repeat(11)
                + "\r"
                + "a step"
                + System.lineSeparator()
                + "\r50/50 ended"
                + System.lineSeparator());
  }

  @Test
  void withoutATerminalProgressIsPrintedAsPlainLinesNowAndThenAndAlwaysAtTheEnd() {
    Console console = new Console(out, false, 80);

    console.progress("1/50 ended", false);
    console.progress("2/50 ended", false);
    console.progress("50/50 ended", true);

    assertThat(text().lines().toList()).containsExactly("1/50 ended", "50/50 ended");
    assertThat(text()).doesNotContain("\r");
  }

  private String text() {
    return printed.toString(StandardCharsets.UTF_8);
  }
}
