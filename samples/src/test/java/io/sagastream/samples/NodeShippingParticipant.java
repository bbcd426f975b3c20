package io.sagastream.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The Node.js shipping participant ({@code src/main/node-shipping}) as a child process: installs
 * its pinned npm packages when they are missing, and collects the JSON lines it prints. Node.js 20+
 * and npm must be on the PATH ({@code .ci/run} installs them); their absence fails the test.
 */
final class NodeShippingParticipant implements AutoCloseable {

  private static final Path DIR = Path.of("src", "main", "node-shipping");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();

  private NodeShippingParticipant(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  events.add(JSON.readTree(line));
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "node-shipping-output");
    reader.setDaemon(true);
    reader.start();
  }

  static NodeShippingParticipant start(String bootstrap, String registry, String prefix)
      throws IOException, InterruptedException {
    installPackages();
    Path log = Files.createDirectories(Path.of("target", "node-shipping")).resolve("stderr.log");
    Process process =
        new ProcessBuilder(
                "node",
                "shipping.mjs",
                "--bootstrap",
                bootstrap,
                "--registry",
                registry,
                "--prefix",
                prefix,
                "--avro",
                Path.of("src", "main", "avro", "shipping").toAbsolutePath().toString())
            .directory(DIR.toFile())
            .redirectError(log.toFile())
            .start();
    return new NodeShippingParticipant(process);
  }

  private static void installPackages() throws IOException, InterruptedException {
    Path installed = DIR.resolve("node_modules/.package-lock.json");
    if (Files.exists(installed)
        && Files.getLastModifiedTime(installed)
                .compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json")))
            >= 0) {
      return;
    }
    // Not inheritIO: the forked test JVM's own stdin and stdout are the build tool's channel.
    Path log = Files.createDirectories(Path.of("target", "node-shipping")).resolve("npm.log");
    Process npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
            .directory(DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
      throw new AssertionError(
          "npm ci failed in " + DIR.toAbsolutePath() + ":\n" + Files.readString(log));
    }
  }

  /**
   * The lines printed so far: {"event": "waiting"} per failed try to start, "ready" once
   * subscribed, "handled" per command answered (with its "outcome"), "unreadable" per command
   * answered UNREADABLE_COMMAND, "skipped" per command that cannot be answered at all.
   */
  List<JsonNode> events() {
    return List.copyOf(events);
  }

  List<JsonNode> events(String event) {
    return events.stream().filter(e -> e.path("event").asText().equals(event)).toList();
  }

  boolean ready() {
    return !events("ready").isEmpty();
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
