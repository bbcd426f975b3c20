package io.sagastream.bench;

import io.sagastream.demo.DemoNode;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.topology.SagaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Timer lateness with many timers pending: {@code timers} sagas of a definition whose only step
 * waits for a message that never comes, with a receive timeout, started as fast as one node takes
 * them. Their timeouts come due over about as long as the starts took, while the rest still wait;
 * the journal gives each timer's due time ({@code MessageAwaited.timeoutAt}) and when it fired
 * ({@code ReceiveTimedOut}). The node and its changelog are left for {@link RestoreBench}.
 */
final class TimerBench {

  static final String DEFINITION = "timer-bench";

  private final BenchContext context;

  TimerBench(BenchContext context) {
    this.context = context;
  }

  /**
   * @param pendingPeak the most timers pending at once, as the journal saw them
   * @param startSeconds how long the node took to start them all
   * @param nodeStartSeconds how long a node on empty topics took to be ready (no restore)
   */
  record Result(
      int timers,
      double rate,
      Duration timeout,
      long pendingPeak,
      double startSeconds,
      long fired,
      Samples lateness,
      double nodeStartSeconds,
      String applicationId,
      String prefix) {}

  static String definition(Duration timeout) {
    return """
        {"name": "%s",
         "data": {"subject": "io.sagastream.samples.orders.OrderFulfilmentData"},
         "steps": [
           {"name": "await-nothing",
            "receive": {"message": "NeverSent",
                        "subject": "io.sagastream.samples.payment.PaymentConfirmed",
                        "timeout": "%s", "onTimeout": "continue"}}]}
        """
        .formatted(DEFINITION, timeout);
  }

  Result run(int timers, double rate, Duration timeout) {
    String prefix = "bench-" + context.runId() + "-timers.";
    String applicationId = prefix + "app";
    SagaTopics topics = new SagaTopics(prefix, BenchContext.PARTITIONS, (short) 1);
    List<AutoCloseable> started = new ArrayList<>();
    SchemaRegistry registry = new RestSchemaRegistry(RegistryClientConfig.of(context.registry()));
    try {
      // Only for the schemas they register; they get no commands.
      started.add(context.startParticipants(prefix));
      long nodeStart = System.nanoTime();
      List<DemoNode> nodes = context.startNodes(applicationId, prefix, 1, "timers");
      double nodeStartSeconds = (System.nanoTime() - nodeStart) / 1e9;
      started.addAll(nodes);
      BenchContext.deploy(
          nodes.stream().map(DemoNode::api).toList(), DEFINITION, definition(timeout));
      Journal[] journal = new Journal[1];
      SagaLoad load =
          new SagaLoad(
              context.kafka(),
              registry,
              topics,
              DEFINITION,
              false,
              () -> journal[0] == null ? 0 : journal[0].ended());
      journal[0] = new Journal(context.kafka(), context.registry(), topics, load::requestedAt);
      started.add(journal[0]);
      started.add(load);
      context.say(
          String.format(
              Locale.ROOT,
              "  starting %d sagas that wait %s for a message that never comes",
              timers,
              timeout));
      long begun = System.nanoTime();
      load.limit(timers);
      load.start(Integer.MAX_VALUE, rate);
      long pendingPeak = 0;
      double startSeconds = -1;
      long idleSince = System.nanoTime();
      long lastFired = -1;
      while (true) {
        long awaited = journal[0].awaited();
        long fired = journal[0].timedOut();
        pendingPeak = Math.max(pendingPeak, awaited - fired);
        if (startSeconds < 0 && awaited >= timers) {
          startSeconds = (System.nanoTime() - begun) / 1e9;
          context.say(
              String.format(
                  Locale.ROOT,
                  "  all %d waiting after %.1f s; %d pending at most so far",
                  timers,
                  startSeconds,
                  pendingPeak));
        }
        if (fired != lastFired) {
          lastFired = fired;
          idleSince = System.nanoTime();
        }
        if (fired >= timers) {
          break;
        }
        // Nothing fired for the whole timeout and a minute more: give up, and say so.
        if (System.nanoTime() - idleSince > timeout.plusMinutes(1).toNanos()) {
          // The lateness of the timers that did fire would hide the ones that never did.
          throw new IllegalStateException(
              "gave up waiting: "
                  + fired
                  + " of "
                  + timers
                  + " timers fired, none for "
                  + timeout.plusMinutes(1));
        }
        BenchContext.sleep(200);
      }
      Journal.TimerFigures figures = journal[0].timers();
      return new Result(
          timers,
          rate,
          timeout,
          pendingPeak,
          startSeconds,
          figures.fired(),
          figures.lateness(),
          nodeStartSeconds,
          applicationId,
          prefix);
    } finally {
      java.util.Collections.reverse(started);
      BenchContext.closeAll(started.stream().filter(c -> !(c instanceof DemoNode)).toList());
      BenchContext.closeAll(started.stream().filter(c -> c instanceof DemoNode).toList());
      registry.close();
    }
  }
}
