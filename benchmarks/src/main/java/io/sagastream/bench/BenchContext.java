package io.sagastream.bench;

import io.sagastream.demo.DemoNode;
import io.sagastream.demo.OrchestratorApi;
import io.sagastream.samples.SampleParticipants;
import io.sagastream.samples.SampleSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * What every part of a run shares: the Kafka and registry addresses, the run's id, the root of the
 * nodes' state directories, the options, and a way to report progress.
 */
record BenchContext(
    String kafka, String registry, String runId, Path stateRoot, BenchOptions options) {

  /** The orchestrator's topics have as many partitions (its default), and so do the harness's. */
  static final int PARTITIONS = 6;

  /** The orchestrator's commit interval (OrchestratorNode's default), which the harness copies. */
  static final long COMMIT_INTERVAL_MS = 100;

  void say(String line) {
    BenchMain.say(line);
  }

  Path stateDir(String name) {
    try {
      return Files.createDirectories(stateRoot.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The node settings of every benchmark node, then the ones given with {@code --set}. */
  Map<String, Object> nodeOverrides() {
    Map<String, Object> overrides = new HashMap<>();
    // The production default: the demo's 5 s scan would add a full store scan every 5 s.
    overrides.put("sagastream.recovery-interval", "PT30S");
    overrides.put("kafka.streams.default.num.stream.threads", options.streamThreads());
    overrides.putAll(options.nodeOverrides());
    return overrides;
  }

  /** The sample participants on topics under {@code prefix}, with no faults injected. */
  SampleParticipants startParticipants(String prefix) {
    return SampleParticipants.start(
        new SampleSettings(
            kafka,
            registry,
            prefix,
            PARTITIONS,
            (short) 1,
            Map.of(),
            Map.<String, Object>copyOf(options.participantOverrides())));
  }

  /** Starts {@code count} nodes of one application at once, so they share the first assignment. */
  List<DemoNode> startNodes(String applicationId, String prefix, int count, String stateName) {
    return startAll(
        count,
        n -> DemoNode.start(nodeSettings(applicationId, prefix, stateName, n), nodeOverrides()));
  }

  /** As {@link #startNodes}, each node in a JVM of its own, logging beside the run's log. */
  List<NodeJvm> startNodeJvms(String applicationId, String prefix, int count, String stateName) {
    String runLog = System.getProperty("sagastream.demo.log", "sagastream-bench.log");
    return startAll(
        count,
        n ->
            NodeJvm.start(
                nodeSettings(applicationId, prefix, stateName, n),
                nodeOverrides(),
                Path.of(runLog + "." + stateName + "-node-" + n)));
  }

  private DemoNode.Settings nodeSettings(
      String applicationId, String prefix, String stateName, int n) {
    return new DemoNode.Settings(
        applicationId,
        prefix,
        PARTITIONS,
        kafka,
        registry,
        stateDir(stateName + "-node-" + n),
        Map.of());
  }

  private static <T> List<T> startAll(int count, java.util.function.IntFunction<T> start) {
    List<CompletableFuture<T>> starting =
        IntStream.rangeClosed(1, count)
            .mapToObj(n -> CompletableFuture.supplyAsync(() -> start.apply(n)))
            .toList();
    try {
      return starting.stream().map(CompletableFuture::join).toList();
    } catch (RuntimeException failed) {
      // The nodes that did start would otherwise run on, with their ports and state directories,
      // until the JVM exits.
      for (CompletableFuture<T> future : starting) {
        try {
          if (future.join() instanceof AutoCloseable started) {
            started.close();
          }
        } catch (Exception alsoFailed) {
          if (alsoFailed != failed) {
            failed.addSuppressed(alsoFailed);
          }
        }
      }
      throw failed;
    }
  }

  /** Deploys a definition through the first node and waits until every node knows it. */
  static void deploy(List<OrchestratorApi> nodes, String name, String document) {
    OrchestratorApi first = nodes.get(0);
    var answer = first.post("/definitions", document);
    if (answer.statusCode() != 201) {
      throw new IllegalStateException(
          "Deploying " + name + " failed: HTTP " + answer.statusCode() + " " + answer.body());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (OrchestratorApi node : nodes) {
      while (node.get("/definitions/" + name).statusCode() != 200) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(node.baseUrl() + " did not learn of " + name);
        }
        sleep(100);
      }
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  static void closeAll(List<? extends AutoCloseable> closeables) {
    closeables.parallelStream()
        .forEach(
            c -> {
              try {
                c.close();
              } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(BenchContext.class).warn("Close failed", e);
              }
            });
  }
}
