package io.sagastream.worker;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.registry.serde.SubjectNameStrategy;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.TopicIo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The orchestrator's side of the participant contract, for tests: it sends commands with the saga
 * headers (values framed as the orchestrator frames them, under topic-record subjects) and reads
 * the replies read_committed.
 */
final class TestOrchestrator {

  static final String SAGA_NAME = "order-fulfilment";
  static final String DEADLINE = "2030-01-01T00:00:00Z";

  /**
   * Longer than a worker takes to read a batch again and commit it (its poll timeout in these tests
   * is 100 ms), short enough to add little to each test.
   */
  private static final Duration QUIET = Duration.ofSeconds(2);

  private static final Duration WAIT_FOR_EXPECTED = Duration.ofSeconds(60);

  private final KafkaCluster kafka;
  private final AvroSerializer<GenericContainer> serializer;
  private final String replies;

  /** Creates the replies topic, of one partition, so that replies come back in order. */
  TestOrchestrator(KafkaCluster kafka, SchemaRegistry registry, String replies) {
    this(kafka, registry, replies, Map.of());
  }

  /** As above, the replies topic with {@code repliesConfig}. */
  TestOrchestrator(
      KafkaCluster kafka,
      SchemaRegistry registry,
      String replies,
      Map<String, String> repliesConfig) {
    this.kafka = kafka;
    this.serializer =
        new AvroSerializer<>(
            registry, SerializerOptions.defaults().withStrategy(SubjectNameStrategy.TOPIC_RECORD));
    this.replies = replies;
    kafka.createTopic(replies, 1, 1, repliesConfig);
  }

  /** A fresh, unique name prefix, so that tests sharing the broker never meet. */
  static String uniquePrefix() {
    return "w" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  String replies() {
    return replies;
  }

  void createCommandTopic(String topic) {
    kafka.createTopic(topic, 1, 1, Map.of());
  }

  /** Every header of an action command, as the orchestrator sets them; a test edits the copy. */
  Map<String, String> headers(String sagaKey, String commandId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(SagaHeaders.SAGA_ID, SAGA_NAME + ":" + sagaKey + ":r1");
    headers.put(SagaHeaders.SAGA_NAME, SAGA_NAME);
    headers.put(SagaHeaders.SAGA_STEP, "reserve-stock");
    headers.put(SagaHeaders.SAGA_KIND, SagaHeaders.KIND_ACTION);
    headers.put(SagaHeaders.COMMAND_ID, commandId);
    headers.put(SagaHeaders.ATTEMPT, "1");
    headers.put(SagaHeaders.REPLY_TO, replies);
    headers.put(SagaHeaders.DEADLINE, DEADLINE);
    headers.put(SagaHeaders.TRACEPARENT, "00-" + "ab".repeat(16) + "-" + "cd".repeat(8) + "-01");
    return headers;
  }

  /** Sends an action command with every header. */
  void send(String topic, String sagaKey, String commandId, GenericContainer command) {
    send(topic, sagaKey, frame(topic, command), headers(sagaKey, commandId));
  }

  void send(String topic, String sagaKey, byte[] value, Map<String, String> headers) {
    sendAll(List.of(record(topic, sagaKey, value, headers)));
  }

  /** Sends several commands in one go, so that the worker finds them all in its first poll. */
  void sendAll(List<ProducerRecord<byte[], byte[]>> commands) {
    TopicIo.produce(kafka, new ByteArraySerializer(), new ByteArraySerializer(), commands);
  }

  ProducerRecord<byte[], byte[]> record(
      String topic, String sagaKey, byte[] value, Map<String, String> headers) {
    RecordHeaders kafkaHeaders = new RecordHeaders();
    headers.forEach((name, text) -> kafkaHeaders.add(name, text.getBytes(StandardCharsets.UTF_8)));
    return new ProducerRecord<>(
        topic, null, sagaKey.getBytes(StandardCharsets.UTF_8), value, kafkaHeaders);
  }

  /** The command in the Confluent wire format, as the orchestrator writes it. */
  byte[] frame(String topic, GenericContainer command) {
    return serializer.serialize(topic, command);
  }

  /** Replies committed so far, read_committed, waiting for at least {@code expected} of them. */
  List<ConsumerRecord<byte[], byte[]>> replies(int expected) {
    return TopicIo.consume(
        kafka, replies, expected, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Replies committed, read_committed, once {@code expected} of them came and then nothing more for
   * {@link #QUIET}: unlike {@link #replies}, it also returns a duplicate committed after the last
   * expected reply, which is what an exactly-once test has to see.
   */
  List<ConsumerRecord<byte[], byte[]>> settledReplies(int expected) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      // Assigned rather than subscribed: no group to join, so the quiet period is all it adds.
      TopicPartition partition = new TopicPartition(replies, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long giveUp = System.nanoTime() + WAIT_FOR_EXPECTED.toNanos();
      long lastNew = System.nanoTime();
      while (System.nanoTime() < giveUp
          && (records.size() < expected || System.nanoTime() - lastNew < QUIET.toNanos())) {
        var polled = consumer.poll(Duration.ofMillis(100));
        if (!polled.isEmpty()) {
          polled.forEach(records::add);
          lastNew = System.nanoTime();
        }
      }
    }
    return records;
  }

  static String key(ConsumerRecord<byte[], byte[]> record) {
    return new String(record.key(), StandardCharsets.UTF_8);
  }

  static Instant deadline() {
    return Instant.parse(DEADLINE);
  }
}
