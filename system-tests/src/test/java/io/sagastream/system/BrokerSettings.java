package io.sagastream.system;

import java.util.Map;
import java.util.TreeMap;

/**
 * How fast the brokers notice that one of them died: the settings README recommends, or with {@code
 * -Dsagastream.system.brokers=stock} Kafka's own defaults, to see what they cost.
 *
 * <p>A killed broker stays a member of every partition's in-sync replicas until the controller
 * fences it, when its heartbeats have been missing for {@code broker.session.timeout.ms} (9 s by
 * default). Until then a write with {@code acks=all} to any partition it follows waits for it, so a
 * broker's death stalls transactions across the cluster, not only on the partitions it led.
 */
final class BrokerSettings {

  static final String PROPERTY = "sagastream.system.brokers";

  /** Fenced 3 s after its last heartbeat, with heartbeats every 500 ms. */
  static final Map<String, String> RECOMMENDED =
      Map.of("broker.session.timeout.ms", "3000", "broker.heartbeat.interval.ms", "500");

  private BrokerSettings() {}

  /** The settings the run asks for: recommended unless {@code stock}. */
  static Map<String, String> chosen() {
    String choice = System.getProperty(PROPERTY, "recommended");
    return switch (choice) {
      case "recommended" -> RECOMMENDED;
      case "stock" -> Map.of();
      default ->
          throw new IllegalArgumentException(
              "-D" + PROPERTY + " is recommended or stock, not " + choice);
    };
  }

  /** For the scenario's figures: which settings the brokers ran with. */
  static String describeChosen() {
    Map<String, String> chosen = chosen();
    return chosen.isEmpty() ? "stock" : new TreeMap<>(chosen).toString().replace(" ", "");
  }
}
