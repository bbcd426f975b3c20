package io.sagastream.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Writing and reading a topic in tests with real clients, with bounded waits. */
public final class TopicIo {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private TopicIo() {}

  /** Sends every record (acks=all, idempotent) and waits until each is acknowledged. */
  public static <K, V> List<RecordMetadata> produce(
      KafkaCluster kafka,
      Serializer<K> keySerializer,
      Serializer<V> valueSerializer,
      List<ProducerRecord<K, V>> records) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis());
    List<RecordMetadata> sent = new ArrayList<>();
    try (var producer = new KafkaProducer<>(config, keySerializer, valueSerializer)) {
      var futures = records.stream().map(producer::send).toList();
      for (var future : futures) {
        sent.add(future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while producing", e);
    } catch (Exception e) {
      throw new AssertionError("Cannot produce to " + kafka.describe() + ": " + e, e);
    }
    return sent;
  }

  /**
   * Reads a topic from the beginning until {@code expected} records arrived or a minute passed, and
   * returns what was read (so a test can assert on a short count and see what did come).
   */
  public static <K, V> List<ConsumerRecord<K, V>> consume(
      KafkaCluster kafka,
      String topic,
      int expected,
      Deserializer<K> keyDeserializer,
      Deserializer<V> valueDeserializer) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<K, V>> records = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(config, keyDeserializer, valueDeserializer)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** The last value of a header as UTF-8 text, or null when the record does not carry it. */
  public static String header(ConsumerRecord<?, ?> record, String name) {
    return header(record.headers(), name);
  }

  /** The last value of a header as UTF-8 text, or null when absent or empty of bytes. */
  public static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}
