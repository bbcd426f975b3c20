package io.sagastream.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar demo-launcher/target/sagastream-demo.jar [options]}: the main job. Starts
 * everything on 127.0.0.1, runs the demo load, prints the summary, and stops everything again (at
 * once, or on Ctrl-C with {@code --keep-running}), removing its temporary state.
 */
public final class DemoMain {

  private DemoMain() {}

  public static void main(String[] args) {
    DemoOptions options;
    try {
      options = DemoOptions.parse(List.of(args));
    } catch (DemoOptions.UsageException e) {
      (e.isHelp() ? System.out : System.err).println(e.getMessage());
      System.exit(e.isHelp() ? 0 : 2);
      return;
    }
    String runId = UUID.randomUUID().toString().substring(0, 6);
    Path log = Path.of(System.getProperty("java.io.tmpdir"), "sagastream-demo-" + runId + ".log");
    logToFile(log);
    Console console = Console.standardOutput();
    // From here on, the terminal is the console's; stray prints of libraries go to the log.
    System.setOut(LoggedStream.printStream(LoggerFactory.getLogger("stdout")));
    System.setErr(LoggedStream.printStream(LoggerFactory.getLogger("stderr")));
    System.exit(run(options, runId, log, console));
  }

  /** Runs the demo and returns the process's exit code; Ctrl-C stops it at any point. */
  static int run(DemoOptions options, String runId, Path log, Console console) {
    Resources resources = new Resources();
    stopOnSignals(resources, console);
    // For a JVM exit by other means; it races with other libraries' hooks, the signals do not.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(resources, console), "demo-shutdown"));
    console.line(
        String.format(
            Locale.ROOT,
            "Sagastream demo %s: %d order-fulfilment sagas on %d orchestrator nodes (log: %s)",
            runId,
            options.sagas(),
            DemoRun.NODES,
            log));
    int exitCode;
    try {
      DemoSummary summary = new DemoRun(options, runId, log, console, resources).run();
      console.line(summary.render());
      exitCode = summary.allEnded() ? 0 : 1;
      if (options.keepRunning()) {
        console.line("Running until Ctrl-C.");
        new CountDownLatch(1).await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exitCode = 130;
    } catch (RuntimeException | java.io.IOException e) {
      if (resources.isClosing()) {
        // Ctrl-C pulled things away under the run: wait for the stop to finish, then exit.
        resources.closeAll();
        return 130;
      }
      LoggerFactory.getLogger(DemoMain.class).error("The demo failed", e);
      console.line("The demo failed: " + e.getMessage() + " (details in " + log + ")");
      exitCode = 1;
    }
    stop(resources, console);
    return exitCode;
  }

  /**
   * Stops everything on Ctrl-C (SIGINT) and SIGTERM before the JVM's shutdown hooks run: Kafka's
   * test kit deletes the broker's log directory in a hook of its own, and a broker that loses its
   * directory while the nodes still commit halts the JVM half-way through the clean-up. ({@code
   * sun.misc.Signal} is the JDK's only way to do so; javac warns that it is internal.)
   */
  private static void stopOnSignals(Resources resources, Console console) {
    for (String name : List.of("INT", "TERM")) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(name),
            signal -> {
              stop(resources, console);
              System.exit(128 + signal.getNumber());
            });
      } catch (IllegalArgumentException unsupported) {
        // No such signal here: the shutdown hook is all there is.
      }
    }
  }

  /** Stops everything, once; a second caller waits until the first has finished. */
  private static void stop(Resources resources, Console console) {
    if (resources.isClosing()) {
      resources.closeAll();
      return;
    }
    long begun = System.nanoTime();
    console.line("Stopping the nodes, the participants, the registry and Kafka...");
    resources.closeAll();
    console.step("Stopped, temporary state removed", begun);
  }

  /**
   * Sends the log to a file of this run's, so that the terminal shows the progress line and the
   * summary only. Set before anything logs: logback reads its configuration once.
   */
  private static void logToFile(Path log) {
    System.setProperty("sagastream.demo.log", log.toString());
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-demo.xml");
    }
  }
}
