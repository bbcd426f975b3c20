package io.sagastream.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads whole topics, from their beginning and as they grow, on a thread of its own: every
 * partition, read_committed, without a consumer group, so nothing is committed and the watched
 * system sees no new member. For the tools that watch a running Sagastream (the system tests'
 * observer, the demo's journal watcher, the benchmark's journal).
 */
public final class TopicTail implements AutoCloseable {

  /** Takes each record as it is read. */
  @FunctionalInterface
  public interface RecordReader {
    /**
     * @param seenAtNanos when the poll that returned it ended ({@link System#nanoTime()})
     */
    void read(ConsumerRecord<byte[], byte[]> record, long seenAtNanos);
  }

  private static final Duration POLL = Duration.ofMillis(100);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final RecordReader reader;
  private final Consumer<RuntimeException> onStopped;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  private TopicTail(
      String name,
      Map<String, Object> consumerConfig,
      Collection<String> topics,
      RecordReader reader,
      Consumer<RuntimeException> onStopped) {
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, name);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.reader = reader;
    this.onStopped = onStopped;
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(info -> new TopicPartition(topic, info.partition()))
          .forEach(partitions::add);
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  /**
   * Starts reading {@code topics} on a thread named {@code name}.
   *
   * @param consumerConfig the consumer's settings: at least {@code bootstrap.servers}
   * @param onStopped told when reading stopped on an error, rather than by {@link #close()}
   */
  public static TopicTail start(
      String name,
      Map<String, Object> consumerConfig,
      Collection<String> topics,
      RecordReader reader,
      Consumer<RuntimeException> onStopped) {
    TopicTail tail = new TopicTail(name, consumerConfig, topics, reader, onStopped);
    tail.thread.start();
    return tail;
  }

  private void run() {
    try {
      while (running.get()) {
        var records = consumer.poll(POLL);
        long now = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          reader.read(record, now);
        }
      }
    } catch (WakeupException stopping) {
      // close() woke the consumer up
    } catch (RuntimeException e) {
      onStopped.accept(e);
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
