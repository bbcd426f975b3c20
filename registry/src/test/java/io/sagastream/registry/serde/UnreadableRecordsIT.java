package io.sagastream.registry.serde;

import static io.sagastream.registry.TestSchemas.order;
import static io.sagastream.registry.TestSchemas.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.UnreadableRecordException.Reason;
import io.sagastream.registry.testing.OrderPlaced;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.TopicIo;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Garbage on a topic gives a typed error for each bad record, and the good ones still read. */
@RealInfrastructure
class UnreadableRecordsIT {

  @Test
  void eachKindOfGarbageIsReportedWithItsReasonAndTheConsumerCarriesOn(
      KafkaCluster kafka, SchemaRegistryServer server) {
    // given a topic with four kinds of garbage between two good orders
    SchemaRegistry registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    String topic = unique("garbage");
    kafka.createTopic(topic, 1);
    byte[] good =
        new AvroSerializer<OrderPlaced>(registry, SerializerOptions.defaults())
            .serialize(topic, order("o-1", 100, null));
    byte[] cutShort = Arrays.copyOf(good, good.length - 3);
    byte[] unknownId = ConfluentWireFormat.frame(Integer.MAX_VALUE - 11, new byte[] {2, 'x'});
    TopicIo.produce(
        kafka,
        new StringSerializer(),
        new ByteArraySerializer(),
        List.of(
            new ProducerRecord<>(topic, "a", good),
            new ProducerRecord<>(topic, "b", "{\"orderId\":\"o-2\"}".getBytes()),
            new ProducerRecord<>(topic, "c", new byte[] {0, 0, 1}),
            new ProducerRecord<>(topic, "d", unknownId),
            new ProducerRecord<>(topic, "e", cutShort),
            new ProducerRecord<>(topic, "f", good)));

    // when a consumer with the Avro deserializer reads it, stepping over each bad record
    List<Reason> reasons = new ArrayList<>();
    List<String> goodKeys = new ArrayList<>();
    try (var consumer = consumer(kafka, registry)) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (goodKeys.size() + reasons.size() < 6 && System.nanoTime() < deadline) {
        try {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> goodKeys.add(r.key()));
        } catch (RecordDeserializationException e) {
          assertThat(e.getCause()).isInstanceOf(UnreadableRecordException.class);
          assertThat(e.getCause().getMessage()).contains(topic);
          reasons.add(((UnreadableRecordException) e.getCause()).reason());
          consumer.seek(e.topicPartition(), e.offset() + 1);
        }
      }
    }

    // then
    assertThat(reasons)
        .containsExactly(
            Reason.UNKNOWN_MAGIC_BYTE,
            Reason.TRUNCATED_HEADER,
            Reason.UNKNOWN_SCHEMA_ID,
            Reason.CORRUPT_BODY);
    assertThat(goodKeys).containsExactly("a", "f");
  }

  @Test
  void aRecordNestedDeeperThanTheStackIsACorruptBodyNotAnError(SchemaRegistryServer server) {
    // given a registered schema that nests itself, and a body that nests it a million times
    SchemaRegistry registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    Schema link =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Link\",\"namespace\":\"io.sagastream.test\","
                    + "\"fields\":[{\"name\":\"next\",\"type\":[\"null\",\"Link\"]}]}");
    String topic = unique("nested");
    int id = registry.register(topic + "-value", link);
    byte[] body = new byte[1_000_001];
    Arrays.fill(body, 0, body.length - 1, (byte) 2); // union branch 1 (a Link), then null

    // when it is read
    Throwable thrown =
        catchThrowable(
            () ->
                AvroDeserializer.generic(registry)
                    .deserialize(topic, ConfluentWireFormat.frame(id, body)));

    // then it is an unreadable record, as any other corrupt body, which handlers can step over
    assertThat(thrown)
        .isInstanceOfSatisfying(
            UnreadableRecordException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.CORRUPT_BODY);
              assertThat(e.getMessage()).contains(topic, "nests deeper");
            });
  }

  @Test
  void aRecordDeclaringMoreItemsThanMemoryHoldsIsACorruptBodyNotAnError(SchemaRegistryServer server)
      throws Exception {
    // given a registered schema with an array, and a body whose array declares two billion items
    SchemaRegistry registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    Schema counts =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Counts\",\"namespace\":\"io.sagastream.test\","
                    + "\"fields\":[{\"name\":\"counts\",\"type\":{\"type\":\"array\","
                    + "\"items\":\"long\"}}]}");
    String topic = unique("huge");
    int id = registry.register(topic + "-value", counts);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    EncoderFactory.get().directBinaryEncoder(body, null).writeLong(2_000_000_000L);

    // when it is read
    Throwable thrown =
        catchThrowable(
            () ->
                AvroDeserializer.generic(registry)
                    .deserialize(topic, ConfluentWireFormat.frame(id, body.toByteArray())));

    // then it is an unreadable record (with the JVM's heap under 8 GB, by the failed allocation;
    // with more, by the items that are not there)
    assertThat(thrown)
        .isInstanceOfSatisfying(
            UnreadableRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT_BODY));
  }

  private static KafkaConsumer<String, OrderPlaced> consumer(
      KafkaCluster kafka, SchemaRegistry registry) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "garbage-" + UUID.randomUUID(),
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            1),
        new StringDeserializer(),
        AvroDeserializer.specific(registry, OrderPlaced.class));
  }
}
