package io.sagastream.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A participant for tests: reads commands (read_committed) on a thread of its own and replies as
 * its script says, echoing the saga headers to {@code reply-to} with the command's key. Header
 * names are the contract's ({@code saga-id}, {@code command-id}, {@code outcome}, ...), spelled out
 * here so that test support does not depend on the contracts jar.
 */
public final class ScriptedParticipant implements AutoCloseable {

  /** A command as the participant saw it. */
  public record Command(
      String key, String step, String kind, String commandId, byte[] rawKey, String traceparent) {}

  /** Chooses the partition a reply goes to; null for the producer's own choice. */
  public interface ReplyPartition {
    Integer partitionFor(byte[] key);
  }

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Command> received = new CopyOnWriteArrayList<>();
  private final Thread thread;

  private ScriptedParticipant(
      KafkaCluster kafka,
      String group,
      List<String> topics,
      Function<Command, Optional<String>> script,
      ReplyPartition replyPartition) {
    thread =
        new Thread(
            () -> serve(kafka, group, topics, script, replyPartition), "participant-" + group);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts a participant on {@code topics}; {@code script} gives each command's outcome ({@code
   * success}, {@code failure}, {@code retryable-failure}), or empty to leave it unanswered.
   */
  public static ScriptedParticipant start(
      KafkaCluster kafka,
      String group,
      List<String> topics,
      Function<Command, Optional<String>> script) {
    return new ScriptedParticipant(kafka, group, topics, script, key -> null);
  }

  public static ScriptedParticipant start(
      KafkaCluster kafka,
      String group,
      List<String> topics,
      Function<Command, Optional<String>> script,
      ReplyPartition replyPartition) {
    return new ScriptedParticipant(kafka, group, topics, script, replyPartition);
  }

  /** Every command received so far, in order. */
  public List<Command> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve(
      KafkaCluster kafka,
      String group,
      List<String> topics,
      Function<Command, Optional<String>> script,
      ReplyPartition replyPartition) {
    Map<String, Object> consumerConfig =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (var consumer =
            new KafkaConsumer<>(
                consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        var producer =
            new KafkaProducer<>(
                producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      consumer.subscribe(topics);
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          Command command =
              new Command(
                  new String(record.key(), StandardCharsets.UTF_8),
                  TopicIo.header(record, "saga-step"),
                  TopicIo.header(record, "saga-kind"),
                  TopicIo.header(record, "command-id"),
                  record.key(),
                  TopicIo.header(record, "traceparent"));
          received.add(command);
          Optional<String> outcome = script.apply(command);
          if (outcome.isEmpty()) {
            continue;
          }
          RecordHeaders headers = new RecordHeaders();
          headers.add("saga-id", record.headers().lastHeader("saga-id").value());
          headers.add("command-id", record.headers().lastHeader("command-id").value());
          headers.add("outcome", outcome.get().getBytes(StandardCharsets.UTF_8));
          producer.send(
              new ProducerRecord<>(
                  TopicIo.header(record, "reply-to"),
                  replyPartition.partitionFor(record.key()),
                  record.key(),
                  null,
                  headers));
        }
      }
    }
  }
}
