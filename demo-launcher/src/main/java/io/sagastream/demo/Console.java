package io.sagastream.demo;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * The demo's terminal output: one line per start-up step, then a progress line that rewrites itself
 * with a carriage return on a terminal, or plain lines every few seconds when the output goes to a
 * file or a pipe.
 */
final class Console {

  private static final long PLAIN_EVERY_NANOS = 5_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final int columns;
  private int lastWidth;
  private long lastPlain;

  /**
   * @param terminal whether {@code out} is an interactive terminal
   * @param columns the terminal's width
   */
  Console(PrintStream out, boolean terminal, int columns) {
    this.out = out;
    this.terminal = terminal;
    this.columns = columns;
  }

  /**
   * A console on standard output, rewriting its progress line only on an interactive terminal,
   * whose width is {@code COLUMNS} (the {@code ./demo} script exports it), else 80.
   */
  static Console standardOutput() {
    int columns = 80;
    try {
      columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
    } catch (NumberFormatException e) {
      // Keep 80.
    }
    return new Console(System.out, isInteractive(), Math.max(40, columns));
  }

  /** The longest progress line that can be rewritten in place: one that does not wrap. */
  int progressWidth() {
    return terminal ? columns - 1 : Integer.MAX_VALUE;
  }

  synchronized void line(String text) {
    clearProgress();
    out.println(text);
    out.flush();
  }

  /** A finished start-up step and how long it took since {@code startedNanos}. */
  void step(String what, long startedNanos) {
    line(
        String.format(
            Locale.ROOT,
            "  %-78s %5.1f s",
            what,
            (System.nanoTime() - startedNanos) / 1_000_000_000.0));
  }

  /** Shows {@code text} as the current progress: in place on a terminal, else now and then. */
  synchronized void progress(String text, boolean last) {
    if (terminal) {
      String padded = text + " ".repeat(Math.max(0, lastWidth - text.length()));
      out.print("\r" + padded);
      lastWidth = text.length();
      if (last) {
        out.println();
        lastWidth = 0;
      }
      out.flush();
      return;
    }
    long now = System.nanoTime();
    if (last || now - lastPlain >= PLAIN_EVERY_NANOS) {
      out.println(text);
      out.flush();
      lastPlain = now;
    }
  }

  private void clearProgress() {
    if (terminal && lastWidth > 0) {
      out.print("\r" + " ".repeat(lastWidth) + "\r");
      lastWidth = 0;
    }
  }

  /**
   * Whether standard output is an interactive terminal. Up to Java 21 the console exists only then;
   * from Java 22 it may exist for a pipe too, and {@code isTerminal()} tells.
   */
  static boolean isInteractive() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
