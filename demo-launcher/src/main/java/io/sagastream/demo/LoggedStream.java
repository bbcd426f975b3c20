package io.sagastream.demo;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;

/**
 * An output stream that logs each line written to it: what libraries print to standard output
 * (Kafka's storage formatter does) goes to the run's log instead of through the progress line.
 */
final class LoggedStream extends OutputStream {

  private final Logger logger;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  private LoggedStream(Logger logger) {
    this.logger = logger;
  }

  static PrintStream printStream(Logger logger) {
    return new PrintStream(new LoggedStream(logger), true, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      flushLine();
    } else if (b != '\r') {
      line.write(b);
    }
  }

  @Override
  public synchronized void flush() {
    // Lines are logged whole, at their newline.
  }

  @Override
  public synchronized void close() {
    flushLine();
  }

  private void flushLine() {
    if (line.size() > 0) {
      logger.info(line.toString(StandardCharsets.UTF_8));
      line.reset();
    }
  }
}
