package io.sagastream.registry.serde;

import static io.sagastream.registry.TestSchemas.order;
import static io.sagastream.registry.TestSchemas.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.testing.OrderPlaced;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.TopicIo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RealInfrastructure
class AvroRoundTripIT {

  private KafkaCluster kafka;
  private SchemaRegistryServer server;
  private SchemaRegistry registry;

  @BeforeEach
  void connect(KafkaCluster kafka, SchemaRegistryServer server) {
    this.kafka = kafka;
    this.server = server;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
  }

  @Test
  void specificRecordsComeBackEqualAndFramedWithTheirRegisteredId() {
    // given
    String topic = unique("orders");
    List<OrderPlaced> orders = List.of(order("o-1", 1999, null), order("o-2", 5, "leave at door"));

    // when
    produce(topic, orders, new AvroSerializer<>(registry, SerializerOptions.defaults()));

    // then the values read back equal what was written
    var read =
        TopicIo.consume(
            kafka,
            topic,
            2,
            new StringDeserializer(),
            AvroDeserializer.specific(registry, OrderPlaced.class));
    assertThat(read).extracting(ConsumerRecord::value).containsExactlyElementsOf(orders);

    // and the bytes on the topic carry magic 0 and the id the subject holds
    int id = registry.lookup(topic + "-value", OrderPlaced.getClassSchema()).id();
    var raw =
        TopicIo.consume(kafka, topic, 2, new StringDeserializer(), new ByteArrayDeserializer());
    assertThat(raw)
        .allSatisfy(
            r -> {
              ByteBuffer bytes = ByteBuffer.wrap(r.value());
              assertThat(bytes.get()).isZero();
              assertThat(bytes.getInt()).isEqualTo(id);
            });
  }

  @Test
  void specificRecordsReadAsGenericAndGenericRecordsReadAsSpecific() {
    // given an order written by a specific producer, and its twin built as a generic record
    String topic = unique("orders");
    OrderPlaced order = order("o-3", 42, "gift");
    GenericRecord generic = asGeneric(order);
    produce(topic, List.of(order), new AvroSerializer<>(registry, SerializerOptions.defaults()));
    produce(topic, List.of(generic), new AvroSerializer<>(registry, SerializerOptions.defaults()));

    // when read generically
    var asGeneric =
        TopicIo.consume(
            kafka,
            topic,
            2,
            new StringDeserializer(),
            AvroDeserializer.<GenericRecord>generic(registry));

    // then both are the same generic record
    assertThat(asGeneric).extracting(ConsumerRecord::value).containsExactly(generic, generic);

    // and when read into the generated class, both are the order
    var asSpecific =
        TopicIo.consume(
            kafka,
            topic,
            2,
            new StringDeserializer(),
            AvroDeserializer.specific(registry, OrderPlaced.class));
    assertThat(asSpecific).extracting(ConsumerRecord::value).containsExactly(order, order);
  }

  @Test
  void serdesConfiguredByClassNameFromConfluentPropertiesWork() {
    // given a producer configured the way Confluent's serializer is
    String topic = unique("orders");
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName(),
            RegistryClientConfig.URL, server.url());
    OrderPlaced order = order("o-4", 7, null);

    // when
    try (var producer = new KafkaProducer<String, OrderPlaced>(config)) {
      producer.send(new ProducerRecord<>(topic, "o-4", order)).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }

    // then a deserializer configured the same way reads it into the generated class
    var deserializer = new AvroDeserializer<OrderPlaced>();
    deserializer.configure(
        Map.of(
            RegistryClientConfig.URL, server.url(), AvroDeserializer.SPECIFIC_AVRO_READER, "true"),
        false);
    var read = TopicIo.consume(kafka, topic, 1, new StringDeserializer(), deserializer);
    assertThat(read).extracting(ConsumerRecord::value).containsExactly(order);
  }

  private <T extends GenericContainer> void produce(
      String topic, List<T> values, AvroSerializer<T> serializer) {
    TopicIo.produce(
        kafka,
        new StringSerializer(),
        serializer,
        values.stream().map(v -> new ProducerRecord<>(topic, "key", v)).toList());
  }

  private static GenericRecord asGeneric(OrderPlaced order) {
    // Through Avro binary, so that the generic record holds generic values (longs, not Instants).
    try {
      var out = new ByteArrayOutputStream();
      var encoder = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<OrderPlaced>(OrderPlaced.class).write(order, encoder);
      encoder.flush();
      return new GenericDatumReader<GenericRecord>(
              OrderPlaced.getClassSchema(), OrderPlaced.getClassSchema(), GenericData.get())
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
