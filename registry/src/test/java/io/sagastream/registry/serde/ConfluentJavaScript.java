package io.sagastream.registry.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/confluent-js/interop.mjs}: Confluent's official JavaScript serde
 * ({@code @confluentinc/schemaregistry}) with kafkajs, as an independent implementation of the wire
 * format. Node.js 18+ must be on the PATH; its absence fails the test, it does not skip it.
 */
final class ConfluentJavaScript {

  private static final Path DIR =
      Path.of(System.getProperty("sagastream.interop.dir", "src/test/confluent-js"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LOGS = Path.of("target", "confluent-js");

  private ConfluentJavaScript() {}

  /** Checks Node.js and installs the pinned packages (npm ci) unless they are installed already. */
  static synchronized void install() {
    String version = run(List.of("node", "--version"), DIR, 30).trim();
    int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
    if (major < 18) {
      throw new AssertionError("The interop test needs Node.js 18 or newer; found " + version);
    }
    Path installed = DIR.resolve("node_modules/.package-lock.json");
    try {
      if (!Files.exists(installed)
          || Files.getLastModifiedTime(installed)
                  .compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json")))
              < 0) {
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), DIR, 600);
      }
    } catch (IOException e) {
      throw new AssertionError("Cannot read " + DIR + ": " + e, e);
    }
  }

  /** Runs the harness with {@code arguments} and returns the JSON lines it printed. */
  static List<JsonNode> interop(String... arguments) {
    List<String> command = new ArrayList<>(List.of("node", "interop.mjs"));
    command.addAll(List.of(arguments));
    String stdout = run(command, DIR, 180);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new AssertionError("interop.mjs printed a line that is not JSON: " + line, e);
        }
      }
    }
    return lines;
  }

  private static String run(List<String> command, Path directory, int timeoutSeconds) {
    try {
      Files.createDirectories(LOGS);
      Path stderr = Files.createTempFile(LOGS.toAbsolutePath(), "stderr-", ".log");
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectError(stderr.toFile())
                .start();
      } catch (IOException e) {
        throw new AssertionError(
            "Cannot run '"
                + command.get(0)
                + "': the interop test needs Node.js 18+ and npm on the PATH (.ci/run installs them)",
            e);
      }
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command)
                + " exited with "
                + process.exitValue()
                + ":\n"
                + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("Cannot run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while running " + command, e);
    }
  }
}
