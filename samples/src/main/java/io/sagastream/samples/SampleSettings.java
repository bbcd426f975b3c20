package io.sagastream.samples;

import io.sagastream.worker.KafkaEnvironment;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the sample participants run and which faults they inject.
 *
 * @param topicPrefix the orchestrator's topic prefix; the command topics and groups carry it too
 * @param partitions of the command topics the participants create
 * @param faults each team's plan by team name; a team not named injects no faults
 * @param kafka Kafka client properties for every client of the participants (their workers and the
 *     admin that creates the topics): security ({@code security.protocol}, {@code sasl.*}, {@code
 *     ssl.*}), timeouts
 */
public record SampleSettings(
    String bootstrapServers,
    String registryUrl,
    String topicPrefix,
    int partitions,
    short replicationFactor,
    Map<String, FaultPlan> faults,
    Map<String, Object> kafka) {

  public SampleSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(registryUrl, "registryUrl");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    faults = Map.copyOf(faults);
    kafka = Map.copyOf(kafka);
  }

  /** Settings for a Kafka that needs no client properties (no security). */
  public SampleSettings(
      String bootstrapServers,
      String registryUrl,
      String topicPrefix,
      int partitions,
      short replicationFactor,
      Map<String, FaultPlan> faults) {
    this(
        bootstrapServers,
        registryUrl,
        topicPrefix,
        partitions,
        replicationFactor,
        faults,
        Map.of());
  }

  /** Settings without faults. */
  public static SampleSettings of(String bootstrapServers, String registryUrl, String prefix) {
    return new SampleSettings(bootstrapServers, registryUrl, prefix, 6, (short) 1, Map.of());
  }

  public FaultPlan faultsOf(String team) {
    return faults.getOrDefault(team, FaultPlan.NONE);
  }

  /** These settings with {@code plan} for every one of {@code teams}. */
  public SampleSettings withFaults(List<String> teams, FaultPlan plan) {
    Map<String, FaultPlan> all = new HashMap<>(faults);
    teams.forEach(team -> all.put(team, plan));
    return new SampleSettings(
        bootstrapServers, registryUrl, topicPrefix, partitions, replicationFactor, all, kafka);
  }

  /** These settings with {@code properties} as the Kafka client properties. */
  public SampleSettings withKafka(Map<String, ?> properties) {
    return new SampleSettings(
        bootstrapServers,
        registryUrl,
        topicPrefix,
        partitions,
        replicationFactor,
        faults,
        Map.copyOf(properties));
  }

  /**
   * Reads the environment: the orchestrator's own {@code SAGASTREAM_BOOTSTRAP_SERVERS}, {@code
   * SAGASTREAM_SCHEMA_REGISTRY_URL}, {@code SAGASTREAM_TOPIC_PREFIX}, {@code SAGASTREAM_PARTITIONS}
   * and {@code SAGASTREAM_REPLICATION_FACTOR} (so that one environment file serves both), and the
   * faults: {@code SAMPLES_FAILURE_RATE}, {@code SAMPLES_RETRYABLE_FAILURE_RATE}, {@code
   * SAMPLES_LATENCY}, {@code SAMPLES_DOWN_AFTER} and {@code SAMPLES_DOWN_FOR} for every team, each
   * also per team ({@code SAMPLES_PAYMENT_FAILURE_RATE}), which wins. Kafka security comes as it
   * does for any worker: {@code SAGASTREAM_KAFKA_<NAME>} and {@code SAGASTREAM_KAFKA_<NAME>_FILE}
   * (see {@link KafkaEnvironment}).
   */
  public static SampleSettings fromEnvironment(Map<String, String> env, List<String> teams) {
    Map<String, FaultPlan> faults = new HashMap<>();
    for (String team : teams) {
      faults.put(team, faultPlan(env, team.toUpperCase(Locale.ROOT) + "_"));
    }
    return new SampleSettings(
        env.getOrDefault("SAGASTREAM_BOOTSTRAP_SERVERS", "localhost:9092"),
        env.getOrDefault("SAGASTREAM_SCHEMA_REGISTRY_URL", "http://localhost:8081/apis/ccompat/v7"),
        env.getOrDefault("SAGASTREAM_TOPIC_PREFIX", ""),
        Integer.parseInt(env.getOrDefault("SAGASTREAM_PARTITIONS", "6")),
        Short.parseShort(env.getOrDefault("SAGASTREAM_REPLICATION_FACTOR", "1")),
        faults,
        KafkaEnvironment.properties(env));
  }

  private static FaultPlan faultPlan(Map<String, String> env, String team) {
    return new FaultPlan(
        rate(env, team, "FAILURE_RATE"),
        rate(env, team, "RETRYABLE_FAILURE_RATE"),
        duration(env, team, "LATENCY"),
        duration(env, team, "DOWN_AFTER"),
        duration(env, team, "DOWN_FOR"));
  }

  private static double rate(Map<String, String> env, String team, String name) {
    String text = setting(env, team, name);
    try {
      return text == null ? 0.0 : Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "SAMPLES_" + team + name + " must be a number from 0 to 1, not " + text);
    }
  }

  private static Duration duration(Map<String, String> env, String team, String name) {
    String text = setting(env, team, name);
    try {
      return text == null ? Duration.ZERO : Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "SAMPLES_" + team + name + " must be an ISO-8601 duration such as PT5S, not " + text);
    }
  }

  /** The team's own setting, else the one for every team, else null. */
  private static String setting(Map<String, String> env, String team, String name) {
    String own = env.get("SAMPLES_" + team + name);
    return own != null ? own : env.get("SAMPLES_" + name);
  }
}
