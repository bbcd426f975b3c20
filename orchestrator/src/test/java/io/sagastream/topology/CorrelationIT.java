package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.definition.CommandSpec;
import io.sagastream.definition.DefinitionSpec;
import io.sagastream.definition.ReceiveStepSpec;
import io.sagastream.definition.SchemaSource;
import io.sagastream.engine.ReceiveSpec.ReceiveTimeoutAction;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.registry.serde.SubjectNameStrategy;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.ScriptedParticipant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saga that reserves, waits for a payment message, then ships, through a real broker and
 * registry. Messages come before the saga starts and after it waits; the participant replies on the
 * wrong partition on purpose, as one with another partitioner would, and every saga still
 * completes.
 */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorrelationIT {

  private static final int PARTITIONS = 3;
  private static final Schema DATA =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "OrderData", "namespace": "shop",
               "fields": [{"name": "orderId", "type": "string"}, {"name": "amount", "type": "long"}]}""");
  private static final Schema PAYMENT =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "PaymentConfirmed", "namespace": "payment",
               "fields": [{"name": "amount", "type": "long"}]}""");

  private final String prefix = "cor" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private KafkaCluster kafka;
  private SchemaRegistry registry;
  private SagaTopics topics;
  private SagaClient client;
  private KafkaStreams node;
  private ScriptedParticipant participant;

  @BeforeAll
  void start(KafkaCluster kafka, SchemaRegistryServer server, @TempDir Path state) {
    this.kafka = kafka;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    this.topics = new SagaTopics(prefix, PARTITIONS, (short) 1);
    kafka.createTopic(prefix + "inventory.commands", PARTITIONS, 1, Map.of());
    kafka.createTopic(prefix + "shipping.commands", PARTITIONS, 1, Map.of());
    node = DefaultNode.start(prefix + "orchestrator", kafka, state, topics, registry);
    client = new SagaClient(kafka, registry, topics);
    client.deploy(definition());
    await().atMost(Duration.ofSeconds(60)).until(() -> node.state() == KafkaStreams.State.RUNNING);
    // Every reply goes to a partition its key does not hash to, as with another partitioner.
    participant =
        ScriptedParticipant.start(
            kafka,
            prefix + "participant",
            List.of(prefix + "inventory.commands", prefix + "shipping.commands"),
            command -> Optional.of(SagaHeaders.OUTCOME_SUCCESS),
            key -> (Utils.toPositive(Utils.murmur2(key)) % PARTITIONS + 1) % PARTITIONS);
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (participant != null) {
      participant.close();
    }
    if (node != null) {
      node.close(Duration.ofSeconds(30));
    }
  }

  @Test
  void aPaymentPublishedBeforeTheSagaStartsIsKeptUntilTheSagaWaitsForIt() {
    publishPayment("early-1");
    startSaga("early-1");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> journalOf("early-1").contains("SagaCompleted"));
    assertThat(journalOf("early-1")).contains("MessageBuffered", "MessageCorrelated");
    assertThat(participant.received()).isNotEmpty();
  }

  @Test
  void aPaymentPublishedWhileTheSagaWaitsIsDelivered() {
    startSaga("late-1");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> journalOf("late-1").contains("MessageAwaited"));

    publishPayment("late-1");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> journalOf("late-1").contains("SagaCompleted"));
  }

  private void publishPayment(String key) {
    GenericRecord payment = new GenericData.Record(PAYMENT);
    payment.put("amount", 42L);
    byte[] value =
        new AvroSerializer<GenericRecord>(
                registry,
                SerializerOptions.defaults().withStrategy(SubjectNameStrategy.TOPIC_RECORD))
            .serialize(topics.messages(), payment);
    client.send(topics.messages(), key, value);
  }

  private DefinitionSpec definition() {
    return DefinitionSpec.builder("paid-order")
        .data(new SchemaSource.Inline(DATA))
        .step(
            "reserve",
            command("inventory", "ReserveInventory"),
            command("inventory", "ReleaseInventory"))
        .receive(
            "await-payment",
            new ReceiveStepSpec(
                "payment.PaymentConfirmed",
                Optional.of(Duration.ofMinutes(5)),
                ReceiveTimeoutAction.COMPENSATE,
                Optional.of(new SchemaSource.Inline(PAYMENT))))
        .step("ship", command("shipping", "ScheduleShipment"))
        .build();
  }

  private CommandSpec command(String participant, String name) {
    Schema schema =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "%s", "namespace": "%s",
                 "fields": [{"name": "orderId", "type": "string"}]}"""
                    .formatted(name, participant));
    return new CommandSpec(
        prefix + participant + ".commands", new SchemaSource.Inline(schema), Optional.empty());
  }

  private void startSaga(String key) {
    GenericRecord data = new GenericData.Record(DATA);
    data.put("orderId", key);
    data.put("amount", 1L);
    client.start("paid-order", key, data);
  }

  private List<String> journalOf(String key) {
    return client.journalOf(key);
  }
}
