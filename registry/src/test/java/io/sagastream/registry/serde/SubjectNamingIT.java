package io.sagastream.registry.serde;

import static io.sagastream.registry.TestSchemas.customer;
import static io.sagastream.registry.TestSchemas.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaNotFoundException;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.ConfluentWireFormat.Framed;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which subject a serializer registers under, and the auto-register and use-latest switches. */
@RealInfrastructure
class SubjectNamingIT {

  private SchemaRegistry registry;

  @BeforeEach
  void connect(SchemaRegistryServer server) {
    registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
  }

  @Test
  void eachStrategyRegistersUnderItsOwnSubject() {
    // given a record type no other test uses
    GenericRecord record = recordOfUniqueType();
    String name = record.getSchema().getFullName();
    String topic = unique("naming");

    // when serialized with each strategy
    int byTopic = idIn(serializer(SubjectNameStrategy.TOPIC).serialize(topic, record));
    int byRecord = idIn(serializer(SubjectNameStrategy.RECORD).serialize(topic, record));
    int byTopicRecord = idIn(serializer(SubjectNameStrategy.TOPIC_RECORD).serialize(topic, record));

    // then each subject holds the schema under the id the bytes carry
    assertThat(registry.lookup(topic + "-value", record.getSchema()).id()).isEqualTo(byTopic);
    assertThat(registry.lookup(name, record.getSchema()).id()).isEqualTo(byRecord);
    assertThat(registry.lookup(topic + "-" + name, record.getSchema()).id())
        .isEqualTo(byTopicRecord);
  }

  @Test
  void withoutAutoRegistrationAnUnregisteredSchemaIsRefusedNamingTheSubject() {
    // given
    GenericRecord record = recordOfUniqueType();
    String topic = unique("closed");
    var serializer =
        new AvroSerializer<GenericRecord>(
            registry, SerializerOptions.defaults().withAutoRegister(false));

    // then
    assertThatThrownBy(() -> serializer.serialize(topic, record))
        .isInstanceOf(SerializationException.class)
        .hasCauseInstanceOf(SchemaNotFoundException.class)
        .hasMessageContaining(topic + "-value");

    // and once someone registers it, the same serializer writes with its id
    int id = registry.register(topic + "-value", record.getSchema());
    assertThat(idIn(serializer.serialize(topic, record))).isEqualTo(id);
  }

  @Test
  void useLatestVersionWritesOldRecordsWithTheNewestSchema() {
    // given a subject whose newest version is v2
    String topic = unique("latest");
    registry.register(topic + "-value", customer("v1"));
    int v2 = registry.register(topic + "-value", customer("v2"));
    var serializer =
        new AvroSerializer<GenericRecord>(
            registry, SerializerOptions.defaults().withUseLatestVersion(true));

    // when a v1 record is serialized
    GenericRecord old = new GenericData.Record(customer("v1"));
    old.put("id", "c-9");
    old.put("name", "Alan");
    byte[] bytes = serializer.serialize(topic, old);

    // then it carries v2's id and reads as v2, with v2's defaults
    assertThat(idIn(bytes)).isEqualTo(v2);
    GenericRecord read =
        AvroDeserializer.<GenericRecord>generic(registry).deserialize(topic, bytes);
    assertThat(read.getSchema().getField("tier")).isNotNull();
    assertThat(read.get("tier").toString()).isEqualTo("standard");
    assertThat(read.get("name").toString()).isEqualTo("Alan");
  }

  private AvroSerializer<GenericRecord> serializer(SubjectNameStrategy strategy) {
    return new AvroSerializer<>(registry, SerializerOptions.defaults().withStrategy(strategy));
  }

  private static GenericRecord recordOfUniqueType() {
    Schema schema =
        SchemaBuilder.record("Probe" + unique("t").replace("-", ""))
            .namespace("io.sagastream.registry.testing.naming")
            .fields()
            .requiredString("value")
            .endRecord();
    GenericRecord record = new GenericData.Record(schema);
    record.put("value", "x");
    return record;
  }

  private static int idIn(byte[] bytes) {
    Framed framed = ConfluentWireFormat.unframe("any", bytes);
    return framed.schemaId();
  }
}
