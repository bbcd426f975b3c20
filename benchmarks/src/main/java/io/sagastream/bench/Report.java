package io.sagastream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;

/**
 * The run's report in Markdown. Written into BENCHMARKS.md between two markers, so that the prose
 * around it (what was changed, what the figures mean) stays when a run writes new figures.
 */
final class Report {

  static final String BEGIN = "<!-- benchmark figures: written by the benchmark run -->";
  static final String END = "<!-- end of benchmark figures -->";

  /** The parts whose threads allocate Java objects: all but the JVM's own. */
  private static final List<ThreadsByPart.Part> ALLOCATING =
      Arrays.stream(ThreadsByPart.Part.values())
          .filter(part -> part != ThreadsByPart.Part.JVM)
          .toList();

  private Report() {}

  /** A window's figures on one line, for the console. */
  static String line(SagaBench.Measured measured) {
    Journal.Window w = measured.journal();
    return String.format(
        Locale.ROOT,
        "%.1f sagas/s, %.1f steps/s; step round trip p50 %s p99 %s (out to the reply p50 %s"
            + " p99 %s, back p50 %s p99 %s: until read_committed could see the reply p50 %s p99 %s,"
            + " then at the node p50 %s p99 %s); saga p50 %s p99 %s (%d"
            + " round trips, %d retries, %d timeouts); stream thread CPU %.0f µs, whole process CPU"
            + " %.0f µs, %.1f journal events and %.1f records sent by the nodes per step; stream"
            + " threads on a core %.0f%%, blocked on Kafka %.0f%% (committing %.0f%%) of the time; retried sends per 1000 steps: nodes %.1f,"
            + " participants and load %.1f; GC %d pauses, %.0f ms on average, in %.0f%% of the"
            + " round trips at or above p99 and %.0f%% of all; CPU per step by part: %s; heap"
            + " allocated per step by part: %s; machine %s",
        w.sagasPerSecond(),
        w.commandsPerSecond(),
        ms(w.roundTrips().percentile(0.5)),
        ms(w.roundTrips().percentile(0.99)),
        ms(w.outward().percentile(0.5)),
        ms(w.outward().percentile(0.99)),
        ms(w.back().percentile(0.5)),
        ms(w.back().percentile(0.99)),
        ms(w.backUntilVisible().percentile(0.5)),
        ms(w.backUntilVisible().percentile(0.99)),
        ms(w.backAtTheNode().percentile(0.5)),
        ms(w.backAtTheNode().percentile(0.99)),
        ms(w.sagaLatencies().percentile(0.5)),
        ms(w.sagaLatencies().percentile(0.99)),
        w.roundTrips().size(),
        w.retries(),
        w.stepTimeouts(),
        measured.streamCpuMicrosPerStep(),
        measured.processCpuMicrosPerStep(),
        w.eventsPerStep(),
        measured.recordsPerStep(),
        100 * measured.onCpuShare(),
        100 * measured.blockedShare(),
        100 * measured.commitShare(),
        measured.nodeRetriesPerThousandSteps(),
        measured.otherRetriesPerThousandSteps(),
        measured.gc().count(),
        measured.gc().meanMillis(),
        100 * measured.slowestInPause(),
        100 * measured.allInPause(),
        partsText(measured),
        allocationText(measured),
        measured.machine().text());
  }

  /** Each part's CPU per step, as "name µs" pairs. */
  static String partsText(SagaBench.Measured measured) {
    return partsText(List.of(ThreadsByPart.Part.values()), measured, Report::micros, " %.0f µs");
  }

  /** Each allocating part's heap allocation per step, as "name KB" pairs. */
  static String allocationText(SagaBench.Measured measured) {
    return partsText(ALLOCATING, measured, Report::kilobytes, " %.1f KB");
  }

  private static String partsText(
      List<ThreadsByPart.Part> parts,
      SagaBench.Measured measured,
      ToDoubleBiFunction<SagaBench.Measured, ThreadsByPart.Part> figure,
      String format) {
    StringBuilder text = new StringBuilder();
    for (ThreadsByPart.Part part : parts) {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(part.description())
          .append(String.format(Locale.ROOT, format, figure.applyAsDouble(measured, part)));
    }
    return text.toString();
  }

  private static double micros(SagaBench.Measured measured, ThreadsByPart.Part part) {
    return measured.cpuMicrosPerStepByPart().getOrDefault(part, Double.NaN);
  }

  private static double kilobytes(SagaBench.Measured measured, ThreadsByPart.Part part) {
    return measured.allocatedKilobytesPerStepByPart().getOrDefault(part, Double.NaN);
  }

  static String ms(OptionalLong millis) {
    return millis.isPresent() ? millis.getAsLong() + " ms" : "n/a";
  }

  /** The figures of a run, as Markdown. */
  static String render(
      BenchOptions options,
      MachineInfo machine,
      String loadAfter,
      Duration took,
      PingPongHarness.Result harness,
      List<SagaBench.Result> sagas,
      TimerBench.Result timers,
      RestoreBench.Result restore) {
    StringBuilder out = new StringBuilder();
    String when =
        OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    out.append("### Run of ").append(when).append(" UTC");
    out.append(options.quick() ? " (--quick: a smoke run, not figures to quote)\n\n" : "\n\n");
    out.append("| machine | |\n|---|---|\n");
    row(out, "CPU", machine.cpu());
    row(out, "cores", Integer.toString(machine.cores()));
    row(out, "memory", machine.memory());
    row(out, "JDK", machine.jdk());
    row(out, "OS", machine.os());
    row(
        out,
        "load average (1, 5, 15 min)",
        "before " + machine.loadAverage() + "; after " + loadAfter);
    row(
        out,
        "run",
        String.format(
            Locale.ROOT,
            "JIT warm-up %s (harness and one node together, not measured); warm-up %s and window"
                + " %s per load; %d partitions; commit interval %d ms; %d stream thread(s) per node"
                + " (%d in the harness); nodes %s; took %d min",
            options.jitWarmUp(),
            options.warmUp(),
            options.window(),
            BenchContext.PARTITIONS,
            options.commitIntervalMs(),
            options.streamThreads(),
            options.harnessThreads(),
            options.nodeJvms()
                ? "each in a JVM of its own (the throughput runs)"
                : "in the benchmark's JVM",
            took.toMinutes()));
    if (!options.nodeOverrides().isEmpty()) {
      row(out, "node settings given", options.nodeOverrides().toString());
    }
    if (!options.brokerOverrides().isEmpty()) {
      row(out, "broker settings given", options.brokerOverrides().toString());
    }
    if (!options.participantOverrides().isEmpty()) {
      row(out, "participant settings given", options.participantOverrides().toString());
    }
    out.append('\n');

    if (harness != null) {
      out.append(
          options.harnessWrites().minimum()
              ? "**Harness** (bare Kafka Streams ping-pong, the physical limit of one step): "
              : "**Harness** (bare Kafka Streams ping-pong writing "
                  + options.harnessWrites().text()
                  + ", not the minimum of a step): ");
      out.append(
          String.format(
              Locale.ROOT,
              "**%.0f round trips/s** with %d keys in flight; round trip p50 %d ms, p99 %d ms;"
                  + " CPU per round trip: stream thread %.0f µs, whole process %.0f µs; machine"
                  + " %s.\n\n",
              harness.roundTripsPerSecond(),
              harness.keys(),
              harness.p50Millis(),
              harness.p99Millis(),
              harness.streamCpuMicrosPerRoundTrip(),
              harness.processCpuMicrosPerRoundTrip(),
              harness.machine().text()));
    }

    if (!sagas.isEmpty()) {
      out.append(
          "| nodes | load | sagas/s | steps/s | steps/s ÷ harness | step round trip p50 / p99 |"
              + " way out / back p50; p99 | saga latency p50 / p99 | CPU per step: stream thread"
              + " / whole process | journal events / records sent per step | stream threads on"
              + " a core / blocked on Kafka | GC pauses, mean; in p99 tail / all round trips | retries, timeouts, not completed |"
              + " machine |\n");
      out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (SagaBench.Result result : sagas) {
        sagaRow(
            out,
            result.nodes(),
            String.format(Locale.ROOT, "peak (%d open)", result.peakOpen()),
            result.peak(),
            harness);
        sagaRow(
            out,
            result.nodes(),
            String.format(Locale.ROOT, "half (%.0f sagas/s)", result.halfRate()),
            result.half(),
            harness);
      }
      out.append('\n');
      out.append(targets(sagas, harness, options.commitIntervalMs()));
      out.append(partsTable(sagas));
      out.append(allocationTable(sagas));
    }

    if (timers != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "**Timers**: %d sagas waiting on a receive step with a %s timeout, started %s in"
                  + " %.1f s; at most %d timers pending at once; %d fired; lateness (due to fired)"
                  + " p50 %s, p99 %s, max %s.\n\n",
              timers.timers(),
              timers.timeout(),
              timers.rate() > 0
                  ? String.format(Locale.ROOT, "at %.0f per second", timers.rate())
                  : "as fast as the node took them",
              timers.startSeconds(),
              timers.pendingPeak(),
              timers.fired(),
              ms(timers.lateness().percentile(0.5)),
              ms(timers.lateness().percentile(0.99)),
              ms(timers.lateness().max())));
    }
    if (restore != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "**Restore**: %d instances (%d bytes each) in the instance store's changelog; a fresh"
                  + " node with an empty state directory was ready (Kafka Streams RUNNING) after"
                  + " %.1f s and answered a query on every partition after %s. For comparison, a"
                  + " node on empty topics is ready after %.1f s.\n\n",
              restore.instances(),
              restore.valueBytes(),
              restore.readySeconds(),
              restore.answeredSeconds() < 0
                  ? "more than 20 min (gave up)"
                  : String.format(Locale.ROOT, "%.1f s", restore.answeredSeconds()),
              timers == null ? Double.NaN : timers.nodeStartSeconds()));
    }
    return out.toString();
  }

  /** Where each window's CPU went, per step: a table of the parts. */
  private static String partsTable(List<SagaBench.Result> sagas) {
    return partsTable(
        "CPU per step by part of the process (µs):",
        List.of(ThreadsByPart.Part.values()),
        sagas,
        Report::micros,
        "%.0f",
        SagaBench.Measured::processCpuMicrosPerStep);
  }

  /** What each window's parts allocated, per step: a table of the parts whose threads allocate. */
  private static String allocationTable(List<SagaBench.Result> sagas) {
    return partsTable(
        "Heap allocated per step by part of the process (KB; one heap, so the collector's pauses"
            + " stop every part):",
        ALLOCATING,
        sagas,
        Report::kilobytes,
        "%.1f",
        m -> ALLOCATING.stream().mapToDouble(part -> kilobytes(m, part)).sum());
  }

  private static String partsTable(
      String title,
      List<ThreadsByPart.Part> parts,
      List<SagaBench.Result> sagas,
      ToDoubleBiFunction<SagaBench.Measured, ThreadsByPart.Part> figure,
      String format,
      ToDoubleFunction<SagaBench.Measured> whole) {
    StringBuilder out = new StringBuilder(title).append("\n\n| nodes | load |");
    StringBuilder rule = new StringBuilder("|---|---|");
    for (ThreadsByPart.Part part : parts) {
      out.append(' ').append(part.description()).append(" |");
      rule.append("---|");
    }
    out.append(" whole process |\n").append(rule).append("---|\n");
    String cell = " " + format + " |";
    for (SagaBench.Result result : sagas) {
      for (Map.Entry<String, SagaBench.Measured> window : windows(result)) {
        SagaBench.Measured m = window.getValue();
        out.append("| ").append(result.nodes()).append(" | ").append(window.getKey()).append(" |");
        for (ThreadsByPart.Part part : parts) {
          out.append(String.format(Locale.ROOT, cell, figure.applyAsDouble(m, part)));
        }
        out.append(String.format(Locale.ROOT, cell, whole.applyAsDouble(m))).append('\n');
      }
    }
    return out.append('\n').toString();
  }

  /** A result's two measured windows, labelled as the tables name them. */
  private static List<Map.Entry<String, SagaBench.Measured>> windows(SagaBench.Result result) {
    return List.of(Map.entry("peak", result.peak()), Map.entry("half", result.half()));
  }

  private static String targets(
      List<SagaBench.Result> sagas, PingPongHarness.Result harness, long commitIntervalMs) {
    SagaBench.Result one = sagas.get(0);
    StringBuilder out = new StringBuilder("Targets, with " + one.nodes() + " node(s): ");
    if (harness != null) {
      double ratio = one.peak().journal().commandsPerSecond() / harness.roundTripsPerSecond();
      out.append(
          String.format(
              Locale.ROOT,
              "steps/s ÷ harness %.2f (target ≥ 0.6: %s); ",
              ratio,
              ratio >= 0.6 ? "met" : "**not met**"));
    }
    OptionalLong p99 = one.half().journal().roundTrips().percentile(0.99);
    long limit = 2 * commitIntervalMs;
    out.append(
        String.format(
            Locale.ROOT,
            "p99 step round trip at half load %s (target ≤ %d ms: %s).\n\n",
            ms(p99),
            limit,
            p99.isPresent() && p99.getAsLong() <= limit ? "met" : "**not met**"));
    return out.toString();
  }

  private static void sagaRow(
      StringBuilder out,
      int nodes,
      String load,
      SagaBench.Measured measured,
      PingPongHarness.Result harness) {
    Journal.Window w = measured.journal();
    out.append(
        String.format(
            Locale.ROOT,
            "| %d | %s | %.1f | %.1f | %s | %s / %s | %s / %s; %s / %s | %s / %s | %.0f / %.0f µs"
                + " | %.1f / %.1f | %.0f%% / %.0f%% | %d, %.0f ms; %.0f%% / %.0f%% | %d, %d, %d | %s |\n",
            nodes,
            load,
            w.sagasPerSecond(),
            w.commandsPerSecond(),
            harness == null
                ? "n/a"
                : String.format(
                    Locale.ROOT, "%.2f", w.commandsPerSecond() / harness.roundTripsPerSecond()),
            ms(w.roundTrips().percentile(0.5)),
            ms(w.roundTrips().percentile(0.99)),
            ms(w.outward().percentile(0.5)),
            ms(w.back().percentile(0.5)),
            ms(w.outward().percentile(0.99)),
            ms(w.back().percentile(0.99)),
            ms(w.sagaLatencies().percentile(0.5)),
            ms(w.sagaLatencies().percentile(0.99)),
            measured.streamCpuMicrosPerStep(),
            measured.processCpuMicrosPerStep(),
            w.eventsPerStep(),
            measured.recordsPerStep(),
            100 * measured.onCpuShare(),
            100 * measured.blockedShare(),
            measured.gc().count(),
            measured.gc().meanMillis(),
            100 * measured.slowestInPause(),
            100 * measured.allInPause(),
            w.retries(),
            w.stepTimeouts(),
            w.unsuccessful(),
            measured.machine().text()));
  }

  private static void row(StringBuilder out, String name, String value) {
    out.append("| ").append(name).append(" | ").append(value).append(" |\n");
  }

  /**
   * Puts {@code figures} into {@code file} between the markers, keeping what is around them; a file
   * without them gets a short heading and the figures.
   */
  static void write(Path file, String figures) throws IOException {
    String block = BEGIN + "\n\n" + figures + END + "\n";
    String text;
    if (Files.exists(file)) {
      String old = Files.readString(file);
      int begin = old.indexOf(BEGIN);
      int end = old.indexOf(END);
      text =
          begin >= 0 && end > begin
              ? old.substring(0, begin)
                  + block
                  + old.substring(end + END.length()).replaceFirst("^\n", "")
              : old + "\n" + block;
    } else {
      text = "# Benchmarks\n\nHow to run: see the README, section Benchmarks.\n\n" + block;
    }
    Files.writeString(file, text);
  }
}
