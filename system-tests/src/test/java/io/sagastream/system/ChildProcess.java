package io.sagastream.system;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process of the system (a node, a broker) that can be started again as it was, killed, or
 * stopped. Every start appends to the same log. A watchdog shell kills it if the test JVM dies
 * first, and ends by itself when the process does, so that no run leaves a process behind.
 */
final class ChildProcess {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

  private final String name;
  private final ProcessBuilder builder;
  private final Path log;
  private Process process;
  private Process watchdog;

  ChildProcess(String name, ProcessBuilder builder, Path log) {
    this.name = name;
    this.builder = builder.redirectErrorStream(true);
    this.log = log;
  }

  /** The java of the test JVM, so that every process runs the same JDK. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException(name + " runs already");
    }
    try {
      process = builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      watchdog = watchdogOf(process);
    } catch (IOException e) {
      if (process != null) {
        process.destroyForcibly();
      }
      throw new IllegalStateException("Cannot start " + name + ": " + e, e);
    }
  }

  synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no chance to close anything or tell anyone. */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    // The moment of the kill, to read a failover's parts against the processes' logs.
    LOG.info("kill -9 {} (pid {})", name, process.pid());
    process.destroyForcibly();
    waitFor(process, Duration.ofSeconds(30));
  }

  /** SIGTERM, and whether the process exited by itself within {@code within}. */
  synchronized boolean terminate(Duration within) {
    if (process == null || !process.isAlive()) {
      return true;
    }
    process.destroy();
    return waitFor(process, within);
  }

  /** SIGTERM, then SIGKILL after 30 s; and the watchdog. */
  synchronized void close() {
    if (!terminate(Duration.ofSeconds(30))) {
      process.destroyForcibly();
      waitFor(process, Duration.ofSeconds(10));
    }
    if (watchdog != null) {
      watchdog.destroy();
    }
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

  private static Process watchdogOf(Process child) throws IOException {
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
}
