package io.sagastream.system;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.topology.SagaTopics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Records no node can read, for every input topic: bytes that are not the Confluent framing at all,
 * a wrong magic byte, and a schema id the registry never gave out; on the replies topic also a
 * reply with no saga headers. Replies carry the headers of a real saga, so that the node gets as
 * far as reading the value. Each carries {@link Observer#POISON_HEADER} with an id of its own,
 * which its dead letter keeps.
 */
final class PoisonRecords {

  /** One poison record, by its id, the topic it went to and what is wrong with it. */
  record Sent(String id, String topic, String kind) {}

  private static final int UNKNOWN_SCHEMA_ID = 987_654_321;

  private PoisonRecords() {}

  /**
   * Sends one of each kind to every input topic and waits until each is acknowledged.
   *
   * @param sagaKey the key of a running saga of this scenario, for the replies
   * @param sagaId its saga id
   */
  static List<Sent> send(
      KafkaCluster kafka, SagaTopics topics, String round, String sagaKey, String sagaId) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<Sent> sent = new ArrayList<>();
    Map<String, byte[]> values =
        Map.of(
            "garbage", "this is not Avro at all".getBytes(StandardCharsets.UTF_8),
            "wrong-magic", framed((byte) 1, 1),
            "unknown-schema-id", framed((byte) 0, UNKNOWN_SCHEMA_ID));
    int n = 0;
    for (String topic : List.of(topics.requests(), topics.replies(), topics.messages())) {
      for (Map.Entry<String, byte[]> value : values.entrySet()) {
        String id = round + "-" + (++n) + "-" + value.getKey();
        boolean reply = topic.equals(topics.replies());
        String key = reply ? sagaKey : "f-poison-" + id;
        RecordHeaders headers = new RecordHeaders();
        headers.add(Observer.POISON_HEADER, bytes(id));
        if (reply) {
          headers.add(SagaHeaders.SAGA_ID, bytes(sagaId));
          headers.add(SagaHeaders.COMMAND_ID, bytes(sagaId + "/poison/action/" + n));
          headers.add(SagaHeaders.OUTCOME, bytes(SagaHeaders.OUTCOME_SUCCESS));
        }
        records.add(new ProducerRecord<>(topic, null, bytes(key), value.getValue(), headers));
        sent.add(new Sent(id, topic, value.getKey()));
      }
    }
    String bare = round + "-" + (++n) + "-no-saga-headers";
    RecordHeaders onlyPoison = new RecordHeaders();
    onlyPoison.add(Observer.POISON_HEADER, bytes(bare));
    records.add(
        new ProducerRecord<>(
            topics.replies(), null, bytes("f-poison-" + bare), bytes("?"), onlyPoison));
    sent.add(new Sent(bare, topics.replies(), "no-saga-headers"));
    produce(kafka, records);
    return sent;
  }

  /** The 5-byte header with {@code magic} and {@code schemaId}, then a few bytes of body. */
  private static byte[] framed(byte magic, int schemaId) {
    return ByteBuffer.allocate(9).put(magic).putInt(schemaId).putInt(0x02040608).array();
  }

  private static void produce(KafkaCluster kafka, List<ProducerRecord<byte[], byte[]>> records) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      var futures = records.stream().map(producer::send).toList();
      for (var future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot send the poison records: " + e, e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
