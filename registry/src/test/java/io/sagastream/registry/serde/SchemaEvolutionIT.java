package io.sagastream.registry.serde;

import static io.sagastream.registry.TestSchemas.customer;
import static io.sagastream.registry.TestSchemas.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.registry.CompatibilityLevel;
import io.sagastream.registry.IncompatibleSchemaException;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.TopicIo;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@RealInfrastructure
class SchemaEvolutionIT {

  private static final Schema V1 = customer("v1");
  private static final Schema V2 = customer("v2");

  private KafkaCluster kafka;
  private SchemaRegistry registry;
  private String topic;
  private int produced;

  @BeforeEach
  void givenATopicWhoseSubjectIsBackwardCompatible(
      KafkaCluster kafka, SchemaRegistryServer server) {
    this.kafka = kafka;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    this.topic = unique("customers");
    registry.register(topic + "-value", V1);
    registry.setCompatibility(topic + "-value", CompatibilityLevel.BACKWARD);
  }

  @Test
  void recordsWrittenWithV1AndV2ReadAsV2() {
    // given an old producer (v1) and a new one (v2) writing the same topic
    produce(v1Customer("c-1", "Ada", "L-7"));
    produce(v2Customer("c-2", "Grace", "grace@example.org", "gold"));

    // when a v2 reader reads the topic
    var read = consume(AvroDeserializer.generic(registry, V2));

    // then the v1 record gained v2's defaults and the v2 record is as written
    assertThat(read).hasSize(2);
    assertThat(read.get(0).get("email")).isNull();
    assertThat(read.get(0).get("tier").toString()).isEqualTo("standard");
    assertThat(read.get(0).hasField("legacyCode")).isFalse();
    assertThat(read.get(1).get("tier").toString()).isEqualTo("gold");
    assertThat(read.get(1).get("email").toString()).isEqualTo("grace@example.org");
  }

  @Test
  void recordsWrittenWithV2ReadAsV1() {
    // given a new producer (v2)
    produce(v2Customer("c-3", "Barbara", null, "silver"));

    // when an old consumer still on v1 reads it
    var read = consume(AvroDeserializer.generic(registry, V1));

    // then the fields v1 knows are there, v2's are dropped and v1's removed field takes its default
    assertThat(read)
        .singleElement()
        .satisfies(
            customer -> {
              assertThat(customer.get("name").toString()).isEqualTo("Barbara");
              assertThat(customer.get("legacyCode")).isNull();
              assertThat(customer.hasField("tier")).isFalse();
            });
  }

  @Test
  void anIncompatibleWriterSchemaIsRejectedWithTheRegistrysMessage() {
    // given a producer whose schema adds a required field
    Schema v3 = customer("v3-incompatible");
    GenericRecord customer = new GenericData.Record(v3);
    customer.put("id", "c-4");
    customer.put("name", "Edsger");
    customer.put("tier", "standard");
    customer.put("taxNumber", "NL-1");
    var serializer = new AvroSerializer<GenericRecord>(registry, SerializerOptions.defaults());

    // then serializing fails, naming the subject, and nothing was registered
    assertThatThrownBy(() -> serializer.serialize(topic, customer))
        .isInstanceOf(SerializationException.class)
        .hasCauseInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("'" + topic + "-value'")
        .hasMessageContaining("HTTP 409");
    assertThat(registry.versions(topic + "-value")).containsExactly(1);
    assertThat(registry.checkCompatibility(topic + "-value", v3).compatible()).isFalse();
  }

  private GenericRecord v1Customer(String id, String name, String legacyCode) {
    GenericRecord record = new GenericData.Record(V1);
    record.put("id", id);
    record.put("name", name);
    record.put("legacyCode", legacyCode);
    return record;
  }

  private GenericRecord v2Customer(String id, String name, String email, String tier) {
    GenericRecord record = new GenericData.Record(V2);
    record.put("id", id);
    record.put("name", name);
    record.put("email", email);
    record.put("tier", tier);
    return record;
  }

  private void produce(GenericRecord customer) {
    produced++;
    TopicIo.produce(
        kafka,
        new StringSerializer(),
        new AvroSerializer<>(registry, SerializerOptions.defaults()),
        List.of(new ProducerRecord<>(topic, customer.get("id").toString(), customer)));
  }

  private List<GenericRecord> consume(AvroDeserializer<GenericRecord> deserializer) {
    return TopicIo.consume(kafka, topic, produced, new StringDeserializer(), deserializer).stream()
        .map(ConsumerRecord::value)
        .toList();
  }
}
