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
  void aRecordDeclaringMoreItemsOrLongerTextThanAnyRecordHoldsIsACorruptBodyNotAnError(
      SchemaRegistryServer server) throws Exception {
    // given a registered schema with an array and a string, and bodies that declare two billion
    // items, or a string of two billion bytes: more than this JVM's heap, were it allocated
    SchemaRegistry registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    Schema counts =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Counts\",\"namespace\":\"io.sagastream.test\","
                    + "\"fields\":[{\"name\":\"counts\",\"type\":{\"type\":\"array\","
                    + "\"items\":\"long\"}},{\"name\":\"note\",\"type\":\"string\"}]}");
    String topic = unique("huge");
    int id = registry.register(topic + "-value", counts);
    byte[] manyItems = zigZag(2_000_000_000L);
    byte[] longNote = concat(zigZag(0), zigZag(2_000_000_000L));

    // when they are read
    AvroDeserializer<Object> deserializer = AvroDeserializer.generic(registry);
    List<Throwable> thrown =
        List.of(
            catchThrowable(
                () -> deserializer.deserialize(topic, ConfluentWireFormat.frame(id, manyItems))),
            catchThrowable(
                () -> deserializer.deserialize(topic, ConfluentWireFormat.frame(id, longNote))));

    // then each is an unreadable record, refused before anything was allocated for it
    assertThat(thrown)
        .allSatisfy(
            t ->
                assertThat(t)
                    .isInstanceOfSatisfying(
                        UnreadableRecordException.class,
                        e -> {
                          assertThat(e.reason()).isEqualTo(Reason.CORRUPT_BODY);
                          assertThat(e.getMessage()).contains("SystemLimitException", "2000000000");
                        }));
  }

  private static byte[] zigZag(long value) throws java.io.IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EncoderFactory.get().directBinaryEncoder(bytes, null).writeLong(value);
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
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
