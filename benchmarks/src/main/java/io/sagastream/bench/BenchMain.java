package io.sagastream.bench;

import io.sagastream.demo.ApicurioDistribution;
import io.sagastream.testing.ApicurioRegistryProcess;
import io.sagastream.testing.EmbeddedKafkaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar benchmarks/target/sagastream-benchmarks.jar [--quick] [--write]}: one Kafka
 * broker and an Apicurio registry on 127.0.0.1, then the harness, the saga throughput runs with 1,
 * 2 and 3 nodes, timer lateness and restore time; prints the report and, with {@code --write}, puts
 * it into BENCHMARKS.md. Everything stops and its temporary state is removed at the end.
 */
public final class BenchMain {

  /** How long a harness probe runs before its window, and the window: as the sagas' probes. */
  private static final Duration PROBE_SETTLE = Duration.ofSeconds(5);

  private static final Duration PROBE = Duration.ofSeconds(10);

  private static java.io.PrintStream console = System.out;

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    String runId = UUID.randomUUID().toString().substring(0, 6);
    Path log = Path.of(System.getProperty("java.io.tmpdir"), "sagastream-bench-" + runId + ".log");
    // The demo's logging configuration: everything to the run's log file, nothing to the terminal.
    System.setProperty("sagastream.demo.log", log.toString());
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-demo.xml");
    }
    // The report goes to the terminal; stray prints of libraries (Kafka's storage formatter) do
    // not.
    console = System.out;
    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    System.exit(run(options, runId, log));
  }

  static int run(BenchOptions options, String runId, Path log) throws IOException {
    // From the start, so that a round trip already under way when a window opens has its pauses.
    PauseTimeline.ofThisProcess();
    MachineInfo machine = MachineInfo.read();
    long begun = System.nanoTime();
    say(
        String.format(
            Locale.ROOT,
            "Sagastream benchmark %s%s on %s, %d cores, %s; load average %s (log: %s)",
            runId,
            options.quick() ? " (quick)" : "",
            machine.cpu(),
            machine.cores(),
            machine.memory(),
            machine.loadAverage(),
            log));
    Path stateRoot = Files.createTempDirectory("sagastream-bench-" + runId + "-");
    List<AutoCloseable> infrastructure = new ArrayList<>();
    int exit = 0;
    try {
      CompletableFuture<EmbeddedKafkaCluster> kafka =
          CompletableFuture.supplyAsync(
              () ->
                  EmbeddedKafkaCluster.singleNode(
                      Map.<String, Object>copyOf(options.brokerOverrides())));
      CompletableFuture<ApicurioRegistryProcess> registry =
          CompletableFuture.supplyAsync(
              () -> {
                ApicurioDistribution distribution = ApicurioDistribution.find();
                return ApicurioRegistryProcess.start(
                    distribution.archive(), distribution.version());
              });
      // Whatever started is stopped at the end, even when the other part failed to start.
      CompletableFuture.allOf(kafka, registry).exceptionally(x -> null).join();
      Stream.of(kafka, registry)
          .filter(part -> !part.isCompletedExceptionally())
          .forEach(part -> infrastructure.add(part.join()));
      BenchContext context =
          new BenchContext(
              kafka.join().bootstrapServers(), registry.join().url(), runId, stateRoot, options);
      say("Kafka at " + context.kafka() + ", registry at " + context.registry());

      if (!options.jitWarmUp().isZero()) {
        say(
            "JIT warm-up: the harness and one node under load together for "
                + options.jitWarmUp()
                + ", not measured");
        CompletableFuture<PingPongHarness.Result> harnessWarmUp =
            CompletableFuture.supplyAsync(
                () ->
                    runHarness(
                        context,
                        "harness-jit",
                        options.harnessKeys(),
                        options.jitWarmUp(),
                        Duration.ofSeconds(1)));
        new SagaBench(context).warmUp(options.jitWarmUp());
        harnessWarmUp.join();
      }
      int harnessKeys = harnessLimitKeys(context);
      say(
          "Harness: bare Kafka Streams ping-pong, "
              + harnessKeys
              + " keys in flight; "
              + options.harnessWrites().text());
      PingPongHarness.Result harness =
          runHarness(context, "harness", harnessKeys, options.warmUp(), options.window());
      say(
          String.format(
              Locale.ROOT,
              "  %.0f round trips/s; round trip p50 %d ms, p99 %d ms; CPU per round trip: stream"
                  + " thread %.0f µs, whole process %.0f µs; machine %s",
              harness.roundTripsPerSecond(),
              harness.p50Millis(),
              harness.p99Millis(),
              harness.streamCpuMicrosPerRoundTrip(),
              harness.processCpuMicrosPerRoundTrip(),
              harness.machine().text()));

      List<SagaBench.Result> sagas = new ArrayList<>();
      for (int nodes : options.nodes()) {
        say("Sagastream: order-fulfilment with the sample participants, " + nodes + " node(s)");
        SagaBench.Result result = new SagaBench(context).run(nodes);
        sagas.add(result);
        say(
            String.format(
                Locale.ROOT,
                "  steps/s ÷ harness: %.2f at peak",
                result.peak().journal().commandsPerSecond() / harness.roundTripsPerSecond()));
      }

      TimerBench.Result timers = null;
      RestoreBench.Result restore = null;
      RuntimeException lastPartFailed = null;
      try {
        if (options.timers() > 0) {
          say("Timers: " + options.timers() + " pending receive timers on one node");
          timers =
              new TimerBench(context)
                  .run(options.timers(), options.timerRate(), options.timerTimeout());
          say(
              String.format(
                  Locale.ROOT,
                  "  %d pending at most, %d fired; lateness p50 %s, p99 %s, max %s",
                  timers.pendingPeak(),
                  timers.fired(),
                  Report.ms(timers.lateness().percentile(0.5)),
                  Report.ms(timers.lateness().percentile(0.99)),
                  Report.ms(timers.lateness().max())));
          if (options.restoreInstances() > 0) {
            say("Restore: " + options.restoreInstances() + " instances from the changelog");
            restore = new RestoreBench(context).run(options.restoreInstances(), timers);
            say(
                String.format(
                    Locale.ROOT,
                    "  ready after %.1f s, every partition answered after %.1f s",
                    restore.readySeconds(),
                    restore.answeredSeconds()));
          }
        } else if (options.restoreInstances() > 0) {
          say("Restore skipped: it copies an instance of the timer run, and --timers is 0");
        }
      } catch (RuntimeException e) {
        // The throughput figures above took most of the run: print them rather than lose them.
        LoggerFactory.getLogger(BenchMain.class).error("The timer or restore run failed", e);
        lastPartFailed = e;
      }

      String figures =
          Report.render(
              options,
              machine,
              MachineInfo.currentLoadAverage(),
              Duration.ofNanos(System.nanoTime() - begun),
              harness,
              sagas,
              timers,
              restore);
      say("");
      say(figures);
      if (lastPartFailed != null) {
        say(
            "The timer or restore run failed, so its figures are missing above and "
                + options.output()
                + " is left as it was: "
                + lastPartFailed
                + " (details in "
                + log
                + ")");
        exit = 1;
      } else if (options.write()) {
        Path file = Path.of(options.output());
        Report.write(file, figures);
        say("Written to " + file.toAbsolutePath());
      }
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(BenchMain.class).error("The benchmark failed", e);
      say("The benchmark failed: " + e + " (details in " + log + ")");
      exit = 1;
    } finally {
      say("Stopping the registry and Kafka...");
      java.util.Collections.reverse(infrastructure);
      for (AutoCloseable closeable : infrastructure) {
        try {
          closeable.close();
        } catch (Exception e) {
          LoggerFactory.getLogger(BenchMain.class).warn("Close failed", e);
        }
      }
      delete(stateRoot);
    }
    return exit;
  }

  /**
   * Searches for the keys in flight at which the harness is bound by the machine rather than by its
   * round trip, in short probes of a harness of their own each, as the peak of the sagas is.
   */
  private static int harnessLimitKeys(BenchContext context) {
    BenchOptions options = context.options();
    InFlightBoundSearch search =
        new InFlightBoundSearch(options.harnessKeys(), options.harnessKeyLimit());
    if (options.harnessKeys() == options.harnessKeyLimit()) {
      return search.chosen();
    }
    for (OptionalInt next = OptionalInt.of(search.bound()); next.isPresent(); ) {
      PingPongHarness.Result probe =
          runHarness(context, "harness-" + search.bound(), search.bound(), PROBE_SETTLE, PROBE);
      say(
          String.format(
              Locale.ROOT,
              "  harness: %.0f round trips/s with %d keys in flight",
              probe.roundTripsPerSecond(),
              search.bound()));
      next = search.measured(probe.roundTripsPerSecond());
    }
    return search.chosen();
  }

  private static PingPongHarness.Result runHarness(
      BenchContext context, String name, int keys, Duration warmUp, Duration window) {
    BenchOptions options = context.options();
    try (PingPongHarness ping =
        new PingPongHarness(
            context.kafka(),
            "bench-" + context.runId() + "-" + name + ".",
            BenchContext.PARTITIONS,
            options.harnessWrites(),
            options.harnessThreads())) {
      return ping.run(keys, context.stateDir(name), warmUp, window, options.commitIntervalMs());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while the harness ran", e);
    }
  }

  static void say(String line) {
    console.println(line);
    console.flush();
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LoggerFactory.getLogger(BenchMain.class).warn("Could not delete {}", dir, e);
    }
  }
}
