package io.sagastream.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sagastream.samples.FaultPlan;
import io.sagastream.samples.OrderFulfilment;
import io.sagastream.samples.SampleParticipants;
import io.sagastream.samples.SampleSettings;
import io.sagastream.topology.SagaTopics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

/**
 * The demo's main flow: Kafka and a registry, the sample participants, two orchestrator nodes, the
 * order-fulfilment definition, the load with its progress line, and the summary. Whatever it starts
 * goes into {@link Resources}, which the caller closes (at the end, or on Ctrl-C).
 */
final class DemoRun {

  /** The orchestrator's topics have as many partitions: three tasks for each of the two nodes. */
  static final int PARTITIONS = 6;

  static final int NODES = 2;

  /** Give up waiting when no saga has ended for this long (a receive step waits up to 2 min). */
  private static final Duration IDLE_LIMIT = Duration.ofMinutes(3);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DemoOptions options;
  private final String runId;
  private final Path log;
  private final Console console;
  private final Resources resources;

  DemoRun(DemoOptions options, String runId, Path log, Console console, Resources resources) {
    this.options = options;
    this.runId = runId;
    this.log = log;
    this.console = console;
    this.resources = resources;
  }

  DemoSummary run() throws IOException, InterruptedException {
    long begun = System.nanoTime();
    Path state = Files.createTempDirectory("sagastream-demo-" + runId + "-");
    resources.add("temporary state " + state, () -> TempDirs.delete(state));
    // A prefix and an application id of this run's own: a second run, or one on a Kafka that
    // served others, starts from empty topics and a new consumer group.
    String prefix = "demo-" + runId + ".";
    Infrastructure infrastructure = Infrastructure.start(options, resources, console);
    String kafka = infrastructure.kafka().address();
    String registry = infrastructure.registry().address();
    Map<String, Object> kafkaClient = infrastructure.kafkaClient();

    long step = System.nanoTime();
    resources.add(
        "sample participants",
        SampleParticipants.start(
            participantSettings(kafka, registry, prefix).withKafka(kafkaClient)));
    console.step("Sample participants: inventory, payment and shipping", step);

    step = System.nanoTime();
    List<DemoNode> nodes = startNodes(kafka, kafkaClient, registry, prefix, state);
    console.step(
        "Orchestrator nodes at "
            + nodes.stream().map(DemoNode::url).toList()
            + " (API security off: a demo on loopback; see README, Security)",
        step);

    step = System.nanoTime();
    int version = deploy(nodes, prefix);
    console.step("Deployed " + OrderFulfilment.NAME + " version " + version, step);

    JournalWatcher journal =
        resources.add(
            "journal reader",
            JournalWatcher.start(
                kafka,
                kafkaClient,
                registry,
                new SagaTopics(prefix, PARTITIONS, (short) 1).events(),
                OrderFulfilment.NAME));
    announceLoad();
    DemoLoad load =
        resources.add(
            "demo load",
            DemoLoad.start(
                nodes.stream().map(DemoNode::api).toList(),
                options.sagas(),
                options.rate(),
                journal::ended));
    JournalTally tally = awaitEnd(journal, load);
    return new DemoSummary(
        options.sagas(),
        load.accepted(),
        load.refused(),
        load.firstRefusal(),
        tally,
        Duration.ofNanos(System.nanoTime() - begun),
        new DemoSummary.Where(
            nodes.stream().map(DemoNode::url).toList(),
            infrastructure.kafka().description(),
            infrastructure.registry().description(),
            prefix,
            log));
  }

  /** Says what the load is about to do, and which faults to expect. */
  private void announceLoad() {
    console.line("");
    console.line(
        String.format(
            Locale.ROOT,
            "Running %d sagas, %s (at most %d open at once).",
            options.sagas(),
            options.rate().isPresent()
                ? options.rate().getAsDouble() + " started per second"
                : "as fast as the orchestrator keeps up",
            DemoLoad.MAX_OPEN));
    console.line(
        String.format(
            Locale.ROOT,
            "Each participant fails %.0f%% of its actions for good and %.0f%% of its commands for now.",
            options.failureRate() * 100,
            options.retryableFailureRate() * 100));
  }

  private SampleSettings participantSettings(String kafka, String registry, String prefix) {
    FaultPlan faults =
        FaultPlan.failing(options.failureRate(), options.retryableFailureRate())
            .withLatency(options.latency());
    return new SampleSettings(kafka, registry, prefix, PARTITIONS, (short) 1, Map.of())
        .withFaults(SampleParticipants.TEAMS, faults);
  }

  private List<DemoNode> startNodes(
      String kafka, Map<String, Object> kafkaClient, String registry, String prefix, Path state) {
    // All join the group at once, so that its first assignment spreads the partitions over all.
    List<CompletableFuture<DemoNode>> starting =
        IntStream.rangeClosed(1, NODES)
            .mapToObj(
                n ->
                    CompletableFuture.supplyAsync(
                        () ->
                            resources.add(
                                "orchestrator node " + n,
                                DemoNode.start(
                                    new DemoNode.Settings(
                                        "sagastream-demo-" + runId,
                                        prefix,
                                        PARTITIONS,
                                        kafka,
                                        registry,
                                        state.resolve("node-" + n),
                                        kafkaClient)))))
            .toList();
    try {
      return starting.stream().map(CompletableFuture::join).toList();
    } catch (CompletionException e) {
      // Let the others finish starting, so that they are in resources and get stopped.
      CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new))
          .exceptionally(x -> null)
          .join();
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /** Deploys the definition through one node and waits until every node knows it. */
  private int deploy(List<DemoNode> nodes, String prefix) throws InterruptedException {
    HttpResponse<String> deployed =
        nodes.get(0).api().post("/definitions", OrderFulfilment.definitionDocument(prefix));
    if (deployed.statusCode() != 201) {
      throw new IllegalStateException(
          "Deploying "
              + OrderFulfilment.NAME
              + " failed: HTTP "
              + deployed.statusCode()
              + " "
              + deployed.body());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (DemoNode node : nodes) {
      while (node.api().get("/definitions/" + OrderFulfilment.NAME).statusCode() != 200) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(node.url() + " did not learn of the deployed definition");
        }
        Thread.sleep(100);
      }
    }
    try {
      return JSON.readTree(deployed.body()).path("version").asInt();
    } catch (IOException e) {
      throw new IllegalStateException("The deploy answer is not JSON: " + deployed.body(), e);
    }
  }

  /**
   * Shows progress until every accepted saga has ended, or until none has ended for {@link
   * #IDLE_LIMIT}.
   */
  private JournalTally awaitEnd(JournalWatcher journal, DemoLoad load) throws InterruptedException {
    long begun = System.nanoTime();
    long lastChange = begun;
    int lastEnded = -1;
    while (true) {
      JournalTally tally = journal.tally();
      long now = System.nanoTime();
      boolean done = load.finished() && tally.ended() >= load.accepted();
      if (tally.ended() != lastEnded) {
        lastEnded = tally.ended();
        lastChange = now;
      }
      boolean idle = now - lastChange > IDLE_LIMIT.toNanos();
      console.progress(
          ProgressLine.render(
              tally, options.sagas(), Duration.ofNanos(now - begun), console.progressWidth()),
          done || idle);
      if (done || idle) {
        return tally;
      }
      Thread.sleep(250);
    }
  }
}
