package io.sagastream.system;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What the system's processes (nodes, brokers) share: the JVM to run, a watchdog, waiting. */
final class ChildProcesses {

  private ChildProcesses() {}

  /** The java of the test JVM, so every process runs the same JDK. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * A shell that kills {@code child} when the test JVM is gone, and ends by itself when the child
   * is, so that no run leaves a process behind.
   */
  static Process watchdog(Process child) throws IOException {
    long parent = ProcessHandle.current().pid();
    String script =
        "while kill -0 "
            + parent
            + " 2>/dev/null && kill -0 "
            + child.pid()
            + " 2>/dev/null; do sleep 1; done; kill -0 "
            + parent
            + " 2>/dev/null || kill -9 "
            + child.pid()
            + " 2>/dev/null";
    return new ProcessBuilder("/bin/sh", "-c", script).start();
  }

  /** Whether {@code process} ended within {@code within}. */
  static boolean waitFor(Process process, Duration within) {
    try {
      return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
