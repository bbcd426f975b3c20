package io.sagastream.bench;

import io.sagastream.demo.DemoNode;
import io.sagastream.demo.OrchestratorApi;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.samples.OrderFulfilment;
import io.sagastream.topology.SagaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The demo saga (order-fulfilment: three participant steps and a receive step) with the sample
 * participants, injecting no faults, on {@code nodes} orchestrator nodes in this process (or with
 * {@code --node-jvms} each in a JVM of its own): first at peak load (as fast as the bound on open
 * sagas lets the load generator start them, the bound found by {@link InFlightBoundSearch}), then
 * at half the peak's saga rate. Figures come from the journal.
 */
final class SagaBench {

  /** How long the peak search lets each bound settle, then measures it. */
  private static final Duration PROBE = Duration.ofSeconds(10);

  private final BenchContext context;

  SagaBench(BenchContext context) {
    this.context = context;
  }

  /** The figures of one node count, its peak measured with {@code peakOpen} sagas open at most. */
  record Result(int nodes, int peakOpen, Measured peak, double halfRate, Measured half) {}

  /**
   * A window's journal figures and what it cost per step (microseconds): CPU time of the nodes'
   * stream threads (all nodes together), and of the whole benchmark process (with the nodes' own
   * JVMs, if they have them); the records the nodes' producers sent per step; the shares of the
   * window their stream threads (averaged over every node's threads) spent on a core, blocked on
   * Kafka (polling, sending, committing) and in transaction commits alone; sends retried per 1000
   * steps by the nodes and by everyone else; and the process's (and the nodes' JVMs') garbage
   * collection pauses, and the share of the slowest round trips (at or above the window's p99) and
   * of all round trips that had a pause in them; and the process's CPU per step (microseconds) by
   * the part that spent it, and the heap each part allocated per step (kilobytes).
   */
  record Measured(
      Journal.Window journal,
      double streamCpuMicrosPerStep,
      double processCpuMicrosPerStep,
      MachineTime.Share machine,
      double recordsPerStep,
      double onCpuShare,
      double blockedShare,
      double commitShare,
      double nodeRetriesPerThousandSteps,
      double otherRetriesPerThousandSteps,
      GcPauses gc,
      double slowestInPause,
      double allInPause,
      Map<ThreadsByPart.Part, Double> cpuMicrosPerStepByPart,
      Map<ThreadsByPart.Part, Double> allocatedKilobytesPerStepByPart) {}

  Result run(int nodeCount) {
    return underLoad(
        "n" + nodeCount,
        nodeCount,
        context.options().nodeJvms(),
        (load, journal, prefix, jvms) -> {
          load.start(context.options().maxOpen(), 0);
          int open = peakBound(load, journal, nodeCount);
          context.say(
              String.format(
                  Locale.ROOT, "  %d node(s): peak load, at most %d sagas open", nodeCount, open));
          Measured peak = measure(journal, prefix, jvms, nodeCount);
          context.say("    " + Report.line(peak));
          // A rate of 0 is the load generator's "unbounded": the half-load row would be a peak.
          if (peak.journal().sagas() == 0) {
            throw new IllegalStateException(
                "no saga ended in the "
                    + nodeCount
                    + "-node peak window: the nodes are not working");
          }
          double halfRate = peak.journal().sagasPerSecond() / 2;
          context.say(
              String.format(
                  Locale.ROOT, "  %d node(s): half load, %.0f sagas/s", nodeCount, halfRate));
          load.rate(halfRate);
          Measured half = measure(journal, prefix, jvms, nodeCount);
          context.say("    " + Report.line(half));
          return new Result(nodeCount, open, peak, halfRate, half);
        });
  }

  /** One node at peak load for {@code duration}, measuring nothing: the JIT's warm-up. */
  void warmUp(Duration duration) {
    underLoad(
        "jit",
        1,
        false,
        (load, journal, prefix, jvms) -> {
          load.start(context.options().maxOpen(), 0);
          BenchContext.sleep(duration.toMillis());
          return null;
        });
  }

  private interface Loaded<T> {
    /** {@code jvms} holds the nodes if they run in JVMs of their own, and is empty if not. */
    T run(SagaLoad load, Journal journal, String prefix, List<NodeJvm> jvms);
  }

  /**
   * Participants, nodes (in this JVM, or each in its own if {@code nodeJvms}) and a load generator
   * on topics of their own, all closed afterwards.
   */
  private <T> T underLoad(String name, int nodeCount, boolean nodeJvms, Loaded<T> body) {
    String prefix = "bench-" + context.runId() + "-" + name + ".";
    SagaTopics topics = new SagaTopics(prefix, BenchContext.PARTITIONS, (short) 1);
    List<AutoCloseable> started = new ArrayList<>();
    List<AutoCloseable> nodes = new ArrayList<>();
    SchemaRegistry registry = new RestSchemaRegistry(RegistryClientConfig.of(context.registry()));
    try {
      started.add(context.startParticipants(prefix));
      String app = WindowCost.app(prefix);
      List<NodeJvm> jvms =
          nodeJvms ? context.startNodeJvms(app, prefix, nodeCount, prefix + "state") : List.of();
      List<DemoNode> inProcess =
          nodeJvms ? List.of() : context.startNodes(app, prefix, nodeCount, prefix + "state");
      nodes.addAll(jvms);
      nodes.addAll(inProcess);
      List<OrchestratorApi> apis =
          nodeJvms
              ? jvms.stream().map(NodeJvm::api).toList()
              : inProcess.stream().map(DemoNode::api).toList();
      BenchContext.deploy(apis, OrderFulfilment.NAME, OrderFulfilment.definitionDocument(prefix));
      Journal[] journal = new Journal[1];
      SagaLoad load =
          new SagaLoad(
              context.kafka(),
              registry,
              topics,
              OrderFulfilment.NAME,
              true,
              () -> journal[0] == null ? 0 : journal[0].ended());
      journal[0] = new Journal(context.kafka(), context.registry(), topics, load::requestedAt);
      // Closed first: the load, then the journal, then nodes and participants.
      started.add(journal[0]);
      started.add(load);
      return body.run(load, journal[0], prefix, jvms);
    } finally {
      java.util.Collections.reverse(started);
      for (AutoCloseable closeable : started) {
        BenchContext.closeAll(List.of(closeable));
      }
      BenchContext.closeAll(nodes);
      registry.close();
    }
  }

  /** Searches for the bound on open sagas that gives the peak, and leaves the load at it. */
  private int peakBound(SagaLoad load, Journal journal, int nodeCount) {
    InFlightBoundSearch search =
        new InFlightBoundSearch(context.options().maxOpen(), context.options().openLimit());
    OptionalInt next = OptionalInt.of(search.bound());
    // The first bound gets the whole warm-up: its probe opened 10 s after the nodes started gave
    // three quarters of what a window gave later, and flattered the first doubling.
    Duration settle = context.options().warmUp();
    while (next.isPresent()) {
      BenchContext.sleep(settle.toMillis());
      settle = PROBE;
      long from = System.currentTimeMillis();
      BenchContext.sleep(PROBE.toMillis());
      long to = System.currentTimeMillis();
      awaitJournal(journal, to);
      double stepsPerSecond = journal.window(from, to).commandsPerSecond();
      context.say(
          String.format(
              Locale.ROOT,
              "  %d node(s): %.0f steps/s with at most %d sagas open",
              nodeCount,
              stepsPerSecond,
              search.bound()));
      next = search.measured(stepsPerSecond);
      next.ifPresent(load::bound);
    }
    load.bound(search.chosen());
    return search.chosen();
  }

  /**
   * Waits until the journal reader has read past {@code to}, for at most 15 s: a window read before
   * then would count too few steps.
   */
  private static void awaitJournal(Journal journal, long to) {
    long deadline = System.currentTimeMillis() + 15_000;
    while (journal.newest() < to + 1_000) {
      if (System.currentTimeMillis() >= deadline) {
        throw new IllegalStateException(
            "the journal reader was still "
                + (to + 1_000 - journal.newest())
                + " ms behind the window's end 15 s after it: its figures would be short");
      }
      BenchContext.sleep(100);
    }
  }

  /** Warms up, measures one window, and waits until the journal reader has caught up with it. */
  private Measured measure(Journal journal, String prefix, List<NodeJvm> jvms, int nodeCount) {
    BenchContext.sleep(context.options().warmUp().toMillis());
    Duration settling = JitSettling.await();
    for (NodeJvm jvm : jvms) {
      settling = settling.plus(jvm.awaitJit());
    }
    context.say(
        String.format(
            Locale.ROOT, "    (the JIT settled %d s after the warm-up)", settling.toSeconds()));
    PauseTimeline pauses = PauseTimeline.ofThisProcess();
    WindowCost.Start start = WindowCost.start(prefix);
    jvms.forEach(NodeJvm::startWindow);
    long from = System.currentTimeMillis();
    BenchContext.sleep(context.options().window().toMillis());
    long to = System.currentTimeMillis();
    WindowCost cost = start.end();
    for (NodeJvm jvm : jvms) {
      NodeJvm.Cost node = jvm.endWindow();
      cost = cost.plus(node.cost());
      pauses = pauses.plus(node.pauses());
    }
    awaitJournal(journal, to);
    Journal.Window window = journal.window(from, to);
    double steps = window.commands();
    ClientTotals clients = cost.clients();
    double threadNanos = (to - from) * 1e6 * nodeCount * context.options().streamThreads();
    return new Measured(
        window,
        cost.streamMicrosPer(window.commands()),
        cost.processMicrosPer(window.commands()),
        cost.machine(),
        clients.nodeRecords() / steps,
        cost.streamCpuNanos() / threadNanos,
        clients.nodeBlockedNanos() / threadNanos,
        clients.nodeCommitNanos() / threadNanos,
        1000 * clients.nodeRetries() / steps,
        1000 * clients.otherRetries() / steps,
        cost.gc(),
        pauses.shareOverlapped(
            window.roundTrips(),
            window.roundTripEnds(),
            window.roundTrips().percentile(0.99).orElse(Long.MAX_VALUE)),
        pauses.shareOverlapped(window.roundTrips(), window.roundTripEnds(), 0),
        cost.microsPerByPart(window.commands()),
        cost.kilobytesPerByPart(window.commands()));
  }
}
