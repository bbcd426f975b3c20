package io.sagastream.demo;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The demo's command line.
 *
 * @param sagas how many order-fulfilment sagas the demo load starts
 * @param rate sagas started per second; empty for as fast as the nodes accept them
 * @param kafka an existing Kafka's bootstrap servers; empty to start one in this process
 * @param registry an existing registry's Confluent-compatible API; empty to start Apicurio
 * @param keepRunning stay up after the summary, until Ctrl-C
 * @param failureRate share of each participant's actions that fail for good
 * @param retryableFailureRate share of each participant's commands that fail for now
 * @param latency how long each participant takes per command
 */
public record DemoOptions(
    int sagas,
    OptionalDouble rate,
    Optional<String> kafka,
    Optional<String> registry,
    boolean keepRunning,
    double failureRate,
    double retryableFailureRate,
    Duration latency) {

  public static final DemoOptions DEFAULTS =
      new DemoOptions(
          2000,
          OptionalDouble.empty(),
          Optional.empty(),
          Optional.empty(),
          false,
          0.05,
          0.10,
          Duration.ZERO);

  public static final String USAGE =
      """
      Usage: ./demo [options]

      Starts Kafka (KRaft, embedded), a schema registry (Apicurio), two orchestrator nodes and the
      sample participants on 127.0.0.1, deploys the order-fulfilment saga and runs a demo load
      through the HTTP API, with a live progress line, then prints a summary read from the journal.

        --sagas N                  sagas to start (default 2000)
        --rate R                   sagas started per second (default: as fast as the nodes accept)
        --kafka HOST:PORT          use this Kafka instead of starting one; its security (TLS, SASL)
                                   from SAGASTREAM_KAFKA_<NAME> variables, as for any worker
        --registry URL             use this registry's Confluent API (e.g.
                                   http://127.0.0.1:8081/apis/ccompat/v7) instead of starting one
        --failure-rate F           share of each participant's actions that fail for good (0.05)
        --retryable-failure-rate F share of each participant's commands that fail for now (0.10)
        --latency DURATION         time each participant takes per command, e.g. PT0.005S (none)
        --keep-running             stay up after the summary until Ctrl-C, to look around
        --help                     this text
      """;

  /**
   * Reads the command line.
   *
   * @throws UsageException naming the option that is wrong, or with {@link #USAGE} for --help
   */
  public static DemoOptions parse(List<String> args) {
    Deque<String> rest = new ArrayDeque<>(args);
    int sagas = DEFAULTS.sagas;
    OptionalDouble rate = DEFAULTS.rate;
    Optional<String> kafka = DEFAULTS.kafka;
    Optional<String> registry = DEFAULTS.registry;
    boolean keepRunning = DEFAULTS.keepRunning;
    double failureRate = DEFAULTS.failureRate;
    double retryableFailureRate = DEFAULTS.retryableFailureRate;
    Duration latency = DEFAULTS.latency;
    while (!rest.isEmpty()) {
      String option = rest.pop();
      switch (option) {
        case "--sagas" -> sagas = positiveInt(option, value(option, rest));
        case "--rate" -> rate = OptionalDouble.of(positiveDouble(option, value(option, rest)));
        case "--kafka" -> kafka = Optional.of(value(option, rest));
        case "--registry" -> registry = Optional.of(value(option, rest).replaceAll("/+$", ""));
        case "--failure-rate" -> failureRate = share(option, value(option, rest));
        case "--retryable-failure-rate" ->
            retryableFailureRate = share(option, value(option, rest));
        case "--latency" -> latency = duration(option, value(option, rest));
        case "--keep-running" -> keepRunning = true;
        case "--help", "-h" -> throw new UsageException(USAGE, true);
        default -> throw new UsageException("Unknown option " + option + "\n\n" + USAGE, false);
      }
    }
    if (failureRate + retryableFailureRate > 1.0) {
      throw new UsageException(
          "--failure-rate and --retryable-failure-rate add up to more than 1", false);
    }
    return new DemoOptions(
        sagas, rate, kafka, registry, keepRunning, failureRate, retryableFailureRate, latency);
  }

  private static String value(String option, Deque<String> rest) {
    if (rest.isEmpty() || rest.peek().startsWith("--")) {
      throw new UsageException(option + " needs a value\n\n" + USAGE, false);
    }
    return rest.pop();
  }

  private static int positiveInt(String option, String text) {
    try {
      int value = Integer.parseInt(text);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new UsageException(option + " must be a whole number from 1, not " + text, false);
  }

  private static double positiveDouble(String option, String text) {
    try {
      double value = Double.parseDouble(text);
      if (value > 0 && Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new UsageException(option + " must be a number above 0, not " + text, false);
  }

  private static double share(String option, String text) {
    try {
      double value = Double.parseDouble(text);
      if (value >= 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new UsageException(option + " must be a number from 0 to 1, not " + text, false);
  }

  private static Duration duration(String option, String text) {
    try {
      Duration value = Duration.parse(text);
      if (!value.isNegative()) {
        return value;
      }
    } catch (DateTimeParseException e) {
      // Reported below.
    }
    throw new UsageException(
        option + " must be an ISO-8601 duration such as PT0.005S, not " + text, false);
  }

  /** A command line the demo cannot run with, or a request for help. */
  public static final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean help;

    UsageException(String message, boolean help) {
      super(message);
      this.help = help;
    }

    /** Whether the user asked for the usage text (exit 0), rather than made a mistake. */
    public boolean isHelp() {
      return help;
    }
  }
}
