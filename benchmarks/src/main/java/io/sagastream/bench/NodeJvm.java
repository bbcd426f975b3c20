package io.sagastream.bench;

import io.sagastream.demo.DemoNode;
import io.sagastream.demo.OrchestratorApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark node in a JVM of its own, as a node runs in production: its heap, collector and JIT
 * are its own, where in the benchmark's JVM every collector pause of the broker, participants and
 * load generator also stopped the node. It runs {@link NodeJvmMain} from this benchmark's class
 * path and measures its own process when asked.
 */
final class NodeJvm implements AutoCloseable {

  static final String READY = "ready ";
  static final String JIT = "jit";
  static final String START = "start";
  static final String END = "end";

  /** How far before a window the node's pauses are still handed over. */
  static final long LONGEST_ROUND_TRIP_MS = 60_000;

  private static final Duration STOP_WITHIN = Duration.ofSeconds(30);

  private final Process process;
  private final BufferedReader answers;
  private final Writer requests;
  private final OrchestratorApi api;

  /** A window's cost in the node's process, and that process's collector pauses. */
  record Cost(WindowCost cost, PauseTimeline pauses) {}

  private NodeJvm(Process process) {
    this.process = process;
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    String ready = answer(READY.trim());
    this.api = new OrchestratorApi(ready.substring(READY.length()));
  }

  /** Starts a node and waits until it is ready; its log goes to {@code log}. */
  static NodeJvm start(DemoNode.Settings settings, Map<String, Object> overrides, Path log) {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    // The JDK's default options, not the benchmark's: a debugger's port or a flight recording
    // given to the benchmark would clash in a second JVM, or measure the wrong one.
    if (Runtime.version().feature() >= 22) {
      // RocksDB's native library: what the jar's manifest grants when it is run with -jar.
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.add("-Dsagastream.demo.log=" + log);
    command.add("-Dlogback.configurationFile=logback-demo.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(NodeJvmMain.class.getName());
    command.add(settings.applicationId());
    command.add(settings.topicPrefix());
    command.add(Integer.toString(settings.partitions()));
    command.add(settings.bootstrapServers());
    command.add(settings.registryUrl());
    command.add(settings.stateDir().toString());
    overrides.forEach((name, value) -> command.add(name + "=" + value));
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      try {
        return new NodeJvm(process);
      } catch (RuntimeException e) {
        process.destroyForcibly();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  OrchestratorApi api() {
    return api;
  }

  /** Waits until the node's JIT compiler is nearly idle, and returns how long that took. */
  Duration awaitJit() {
    String answer = request(JIT);
    return Duration.ofMillis(Long.parseLong(answer.substring(JIT.length()).trim()));
  }

  void startWindow() {
    request(START);
  }

  Cost endWindow() {
    String[] fields = request(END).split(" ");
    // "end", the five fields of the cost, the pauses.
    if (fields.length != 7) {
      throw new IllegalStateException("Unexpected answer of node " + api.baseUrl());
    }
    return new Cost(
        WindowCost.decode(String.join(" ", List.of(fields).subList(1, 6))),
        PauseTimeline.decode(fields[6]));
  }

  private synchronized String request(String request) {
    try {
      requests.write(request + "\n");
      requests.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Node process " + process.pid() + " is gone", e);
    }
    return answer(request);
  }

  private String answer(String expected) {
    try {
      String line = answers.readLine();
      if (line == null || !line.startsWith(expected)) {
        throw new IllegalStateException(
            "Node process "
                + process.pid()
                + " answered "
                + line
                + " where "
                + expected
                + " was due");
      }
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends its input, which stops it; kills it if it has not stopped within 30 s. */
  @Override
  public void close() {
    try {
      requests.close();
      if (!process.waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
