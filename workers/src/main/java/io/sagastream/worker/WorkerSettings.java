package io.sagastream.worker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How a worker talks to Kafka. The caller's properties come first; the settings that exactly-once
 * replies depend on are then forced, whatever the caller said.
 */
record WorkerSettings(
    String bootstrapServers,
    String group,
    String instanceId,
    Map<String, Object> consumerProperties,
    Map<String, Object> producerProperties,
    Duration pollTimeout,
    Duration closeTimeout) {

  /**
   * Kafka's own default, 60 s, is how long the orchestrator (reading read_committed) sees no reply
   * of any participant on a replies partition that a killed worker left a transaction open on.
   */
  static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;

  private static final int DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

  WorkerSettings {
    consumerProperties = Map.copyOf(consumerProperties);
    producerProperties = Map.copyOf(producerProperties);
  }

  /**
   * Stable for a stable instance id, so that a restarted instance fences its predecessor and
   * settles the transaction it left open at once, instead of after {@code transaction.timeout.ms}.
   */
  String transactionalId() {
    return group + "-" + instanceId;
  }

  /**
   * How long the worker hands a poll batch's commands to their handlers before it commits what it
   * has and reads the rest again: half the transaction's timeout (and of the poll interval), so
   * that slow handlers cut a batch short rather than have the broker abort it, which would run the
   * same batch, as slow, again and again.
   */
  Duration batchTimeBudget() {
    return Duration.ofMillis(Math.min(transactionTimeoutMs(), maxPollIntervalMs()) / 2);
  }

  /** Which setting bounds {@link #batchTimeBudget}, in words for the log. */
  String batchTimeBudgetBound() {
    return maxPollIntervalMs() < transactionTimeoutMs()
        ? "half of max.poll.interval.ms"
        : "half the transaction timeout";
  }

  private long transactionTimeoutMs() {
    return millis(
        producerProperties,
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
        DEFAULT_TRANSACTION_TIMEOUT_MS);
  }

  private long maxPollIntervalMs() {
    return millis(
        consumerProperties,
        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
        DEFAULT_MAX_POLL_INTERVAL_MS);
  }

  /** The largest request the producer sends ({@code max.request.size}), a reply's upper bound. */
  int largestRequest() {
    return (int) millis(producerProperties, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576);
  }

  private static long millis(Map<String, Object> properties, String name, long otherwise) {
    Object value = properties.get(name);
    return value == null ? otherwise : Long.parseLong(value.toString().trim());
  }

  Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>(consumerProperties);
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, transactionalId());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    // Offsets are committed by the producer's transaction, with the replies, and by nothing else.
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Commands from an aborted orchestrator transaction were never sent, as far as sagas go.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return config;
  }

  Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>(producerProperties);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, transactionalId());
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS);
    // A reply is often refused with CONCURRENT_TRANSACTIONS while the previous transaction's
    // markers are written; retrying after the default 100 ms (doubling up to 1 s) delayed steps.
    config.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 20);
    config.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200);
    return config;
  }
}
