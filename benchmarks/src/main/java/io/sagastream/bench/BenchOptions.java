package io.sagastream.bench;

import io.sagastream.topology.OrchestratorNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a run measures and how long, from the command line. {@code --quick} scales everything down
 * for a smoke run; any explicit option wins over it.
 *
 * @param jitWarmUp how long the harness and one node run together, unmeasured, before anything is
 *     measured
 * @param warmUp how long each load runs before its window opens
 * @param window how long each measurement window is
 * @param harnessKeys the first bound on ping-pong keys in flight in the harness
 * @param harnessKeyLimit the highest bound the search for the harness's limit tries ({@link
 *     InFlightBoundSearch})
 * @param harnessWrites what the harness writes per round trip beside the command
 * @param harnessThreads the harness's stream threads
 * @param maxOpen the first bound on sagas open at once at peak load (the load generator's bound)
 * @param openLimit the highest bound the search for the peak tries ({@link InFlightBoundSearch})
 * @param streamThreads stream threads of each node (the harness keeps one)
 * @param nodeJvms whether the throughput runs start each node in a JVM of its own
 * @param nodes the node counts to measure throughput with
 * @param timers pending timers for the timer lateness measurement (0: skip)
 * @param timerRate sagas started per second for it (0: as fast as one node takes them)
 * @param timerTimeout their receive timeout
 * @param restoreInstances instances in the changelog for the restore measurement (0: skip)
 * @param write whether to write BENCHMARKS.md
 * @param output where to write it
 * @param nodeOverrides node settings over the defaults (Micronaut names)
 * @param brokerOverrides broker settings over the embedded broker's defaults
 * @param participantOverrides Kafka client settings of the sample participants (their workers'
 *     consumers and producers, and their admin)
 */
record BenchOptions(
    boolean quick,
    Duration jitWarmUp,
    Duration warmUp,
    Duration window,
    int harnessKeys,
    int harnessKeyLimit,
    HarnessWrites harnessWrites,
    int harnessThreads,
    int maxOpen,
    int openLimit,
    int streamThreads,
    boolean nodeJvms,
    List<Integer> nodes,
    int timers,
    double timerRate,
    java.time.Duration timerTimeout,
    int restoreInstances,
    boolean write,
    String output,
    Map<String, String> nodeOverrides,
    Map<String, String> brokerOverrides,
    Map<String, String> participantOverrides) {

  /** The nodes' setting for their commit interval, which the harness and the target follow. */
  static final String COMMIT_INTERVAL = "kafka.streams.default.commit.interval.ms";

  /**
   * The nodes' commit interval: Kafka Streams' 100 ms unless {@code --set} changes it. The harness
   * commits at the same interval, and the half-load target is twice it.
   */
  long commitIntervalMs() {
    String set = nodeOverrides.get(COMMIT_INTERVAL);
    return set == null ? BenchContext.COMMIT_INTERVAL_MS : Long.parseLong(set.trim());
  }

  static final String USAGE =
      """
      Usage: java -jar benchmarks/target/sagastream-benchmarks.jar [options]
        --quick              a smoke run: short windows, 1 and 2 nodes, 10k timers, 50k instances
        --jit-warm-up D      the harness and one node under load together, unmeasured, before the first
                             window, so that no window pays for the JIT compiler (default PT90S; quick PT0S)
        --warm-up D          load before each window, ISO-8601 (default PT15S; quick PT5S)
        --window D           each measurement window (default PT30S; quick PT10S)
        --harness-keys N     ping-pong keys in flight in the harness, to begin with (default 10000);
                             doubled as --max-open is, up to --harness-key-limit
        --harness-key-limit N
                             the most keys in flight the harness's search tries (default 80000;
                             quick: no search; the same as --harness-keys for a fixed number)
        --harness-writes E,S records to an events topic and state stores written per harness round trip,
                             beside the command (default 0,1: the minimum of a step; about 5,7 is a
                             Sagastream step's journal events and changelog records)
        --harness-threads N  the harness's stream threads (default 1)
        --max-open N         sagas open at once at peak load, to begin with (default 1000); doubled
                             while steps/s rises by more than 10%, up to --open-limit; two
                             doublings in a row that do not end the search
        --open-limit N       the most sagas open at once that the peak search tries (default 16000;
                             the same as --max-open for a fixed bound)
        --stream-threads N   stream threads of each node (default: as a node ships, two, or one
                             on a single core; the harness keeps one, its best here)
        --node-jvms          each node of the throughput runs in a JVM of its own, as in production, so
                             that its heap and collector are its own (default: in the benchmark's JVM,
                             with the broker, participants and load)
        --nodes 1,2,3        node counts for the throughput runs, or none (default 1,2,3; quick 1,2)
        --timers N           pending timers for timer lateness, 0 to skip (default 100000; quick 10000)
        --timer-rate R       sagas started per second for the timers, 0 for as fast as the node takes them (default 5000)
        --timer-timeout D    their receive timeout, longer than starting them takes (default PT2M30S; quick PT45S)
        --restore N          instances to restore from the changelog, 0 to skip (default 1000000; quick 50000)
        --set NAME=VALUE     a node setting (Micronaut name, e.g. kafka.streams.default.linger.ms=5), repeatable
        --broker-set NAME=VALUE
                             a setting of the embedded broker (e.g. num.io.threads=4), repeatable
        --participant-set NAME=VALUE
                             a Kafka client setting of the sample participants (e.g. retry.backoff.ms=5),
                             repeatable
        --write              write the report to BENCHMARKS.md (default: print only)
        --output FILE        where --write writes (default BENCHMARKS.md)
      """;

  static BenchOptions parse(String... args) {
    boolean quick = Arrays.asList(args).contains("--quick");
    // C2 kept one of the two cores busy for about 100 s after start: without this, the harness
    // and the first node count were measured while it compiled.
    Duration jitWarmUp = Duration.ofSeconds(quick ? 0 : 90);
    Duration warmUp = Duration.ofSeconds(quick ? 5 : 15);
    Duration window = Duration.ofSeconds(quick ? 10 : 30);
    // With 1000 keys the harness was bound by its round trip (Little's law), the machine 40% busy;
    // on the AMD machine 10,000 were too, where 20,000 gave 42% more. So the keys are searched for.
    int harnessKeys = 10_000;
    int harnessKeyLimit = quick ? harnessKeys : 80_000;
    HarnessWrites harnessWrites = HarnessWrites.MINIMUM;
    int harnessThreads = 1;
    // Where the search for the peak begins: 3000 gave 2% more steps/s than 1000 on one node of an
    // Intel machine, but 40% more on an AMD one, whose peak at 1000 was bound by saga latency.
    int maxOpen = 1000;
    int openLimit = 16_000;
    int streamThreads =
        OrchestratorNode.defaultStreamThreads(Runtime.getRuntime().availableProcessors());
    boolean nodeJvms = false;
    List<Integer> nodes = quick ? List.of(1, 2) : List.of(1, 2, 3);
    int timers = quick ? 10_000 : 100_000;
    // Steady, so that the timers come due at this rate however fast a build starts sagas: started
    // as
    // fast as possible, a faster build made its timers come due faster and measured a longer
    // backlog.
    double timerRate = 5000;
    Duration timerTimeout = Duration.ofSeconds(quick ? 45 : 150);
    int restore = quick ? 50_000 : 1_000_000;
    boolean write = false;
    String output = "BENCHMARKS.md";
    Map<String, String> overrides = new java.util.LinkedHashMap<>();
    Map<String, String> brokerOverrides = new java.util.LinkedHashMap<>();
    Map<String, String> participantOverrides = new java.util.LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> {}
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        case "--write" -> write = true;
        case "--node-jvms" -> nodeJvms = true;
        case "--jit-warm-up" -> jitWarmUp = Duration.parse(value(args, ++i, arg));
        case "--warm-up" -> warmUp = Duration.parse(value(args, ++i, arg));
        case "--window" -> window = Duration.parse(value(args, ++i, arg));
        case "--harness-keys" -> harnessKeys = Integer.parseInt(value(args, ++i, arg));
        case "--harness-key-limit" -> harnessKeyLimit = Integer.parseInt(value(args, ++i, arg));
        case "--harness-writes" -> harnessWrites = HarnessWrites.parse(value(args, ++i, arg));
        case "--harness-threads" -> harnessThreads = Integer.parseInt(value(args, ++i, arg));
        case "--max-open" -> maxOpen = Integer.parseInt(value(args, ++i, arg));
        case "--open-limit" -> openLimit = Integer.parseInt(value(args, ++i, arg));
        case "--stream-threads" -> streamThreads = Integer.parseInt(value(args, ++i, arg));
        case "--nodes" -> {
          List<Integer> counts = new ArrayList<>();
          String given = value(args, ++i, arg);
          for (String n : given.equals("none") ? new String[0] : given.split(",")) {
            counts.add(Integer.parseInt(n.trim()));
          }
          nodes = List.copyOf(counts);
        }
        case "--timers" -> timers = Integer.parseInt(value(args, ++i, arg));
        case "--timer-rate" -> timerRate = Double.parseDouble(value(args, ++i, arg));
        case "--timer-timeout" -> timerTimeout = Duration.parse(value(args, ++i, arg));
        case "--restore" -> restore = Integer.parseInt(value(args, ++i, arg));
        case "--output" -> output = value(args, ++i, arg);
        case "--set" -> setting(value(args, ++i, arg), arg, overrides);
        case "--broker-set" -> setting(value(args, ++i, arg), arg, brokerOverrides);
        case "--participant-set" -> setting(value(args, ++i, arg), arg, participantOverrides);
        default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
      }
    }
    if (harnessThreads < 1) {
      throw new IllegalArgumentException(
          "--harness-threads wants 1 or more, not " + harnessThreads);
    }
    if (streamThreads < 1) {
      throw new IllegalArgumentException("--stream-threads wants 1 or more, not " + streamThreads);
    }
    // The report and the CPU shares count threads by --stream-threads; a --set would bypass them.
    if (overrides.containsKey("kafka.streams.default.num.stream.threads")) {
      throw new IllegalArgumentException(
          "set the nodes' stream threads with --stream-threads, not --set");
    }
    if (overrides.containsKey(COMMIT_INTERVAL)) {
      try {
        if (Long.parseLong(overrides.get(COMMIT_INTERVAL).trim()) < 1) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            COMMIT_INTERVAL
                + " wants milliseconds, 1 or more, not "
                + overrides.get(COMMIT_INTERVAL));
      }
    }
    return new BenchOptions(
        quick,
        jitWarmUp,
        warmUp,
        window,
        harnessKeys,
        Math.max(harnessKeys, harnessKeyLimit),
        harnessWrites,
        harnessThreads,
        maxOpen,
        Math.max(maxOpen, openLimit),
        streamThreads,
        nodeJvms,
        nodes,
        timers,
        timerRate,
        timerTimeout,
        restore,
        write,
        output,
        Map.copyOf(overrides),
        Map.copyOf(brokerOverrides),
        Map.copyOf(participantOverrides));
  }

  private static void setting(String setting, String option, Map<String, String> into) {
    int equals = setting.indexOf('=');
    if (equals < 1) {
      throw new IllegalArgumentException(option + " wants NAME=VALUE, not " + setting);
    }
    into.put(setting.substring(0, equals), setting.substring(equals + 1));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[i];
  }
}
