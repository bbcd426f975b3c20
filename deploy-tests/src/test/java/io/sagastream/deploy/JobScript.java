package io.sagastream.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Job's shell script run here, with the environment it is given and, first on its PATH, stand-ins
 * for the tools it calls.
 */
record JobScript(String script) {

  /** How a run ended: its exit code and what it printed. */
  record Run(int exitCode, String output) {}

  /** This script with {@code path} inside it read as {@code replacement}. */
  JobScript with(String path, String replacement) {
    return new JobScript(script.replace(path, replacement));
  }

  Run run(Map<String, String> environment, Path standIns) throws IOException, InterruptedException {
    ProcessBuilder run = new ProcessBuilder(List.of("/bin/sh", "-ec", script));
    run.environment().clear();
    run.environment().putAll(environment);
    run.environment().put("PATH", standIns + ":" + System.getenv("PATH"));
    Process process = run.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), output);
  }
}
