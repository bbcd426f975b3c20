package io.sagastream.bench;

import io.sagastream.demo.DemoNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One benchmark node in a JVM of its own ({@code --node-jvms}), driven by {@link NodeJvm} over
 * standard input and output: it says when it is ready, measures a window's cost of its own process
 * when told, and stops when its input ends, which is also what happens when the benchmark dies.
 *
 * <p>Arguments: application id, topic prefix, partitions, bootstrap servers, registry URL, state
 * directory, then node settings as {@code NAME=VALUE}.
 */
public final class NodeJvmMain {

  private NodeJvmMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream answers = System.out;
    // Only answers go to the benchmark: stray prints of libraries do not.
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    PauseTimeline pauses = PauseTimeline.ofThisProcess();
    DemoNode.Settings settings =
        new DemoNode.Settings(
            args[0],
            args[1],
            Integer.parseInt(args[2]),
            args[3],
            args[4],
            Path.of(args[5]),
            Map.of());
    Map<String, Object> overrides = new HashMap<>();
    for (int i = 6; i < args.length; i++) {
      int equals = args[i].indexOf('=');
      overrides.put(args[i].substring(0, equals), args[i].substring(equals + 1));
    }
    try (DemoNode node = DemoNode.start(settings, overrides)) {
      answer(answers, NodeJvm.READY + node.url());
      serve(answers, pauses, settings.topicPrefix());
    }
    System.exit(0);
  }

  private static void serve(PrintStream answers, PauseTimeline pauses, String prefix)
      throws java.io.IOException {
    BufferedReader requests =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    WindowCost.Start window = null;
    long windowOpened = 0;
    for (String request; (request = requests.readLine()) != null; ) {
      switch (request) {
        case NodeJvm.JIT -> answer(answers, NodeJvm.JIT + " " + JitSettling.await().toMillis());
        case NodeJvm.START -> {
          windowOpened = System.currentTimeMillis();
          window = WindowCost.start(prefix);
          answer(answers, NodeJvm.START);
        }
        case NodeJvm.END -> {
          if (window == null) {
            answer(answers, "error: no window was started");
          } else {
            // A round trip measured in the window may have begun a little before it opened.
            String since = pauses.encode(windowOpened - NodeJvm.LONGEST_ROUND_TRIP_MS);
            answer(answers, NodeJvm.END + " " + window.end().encode() + " " + since);
          }
        }
        default -> answer(answers, "error: unknown request " + request);
      }
    }
  }

  private static void answer(PrintStream answers, String line) {
    answers.println(line);
    answers.flush();
  }
}
