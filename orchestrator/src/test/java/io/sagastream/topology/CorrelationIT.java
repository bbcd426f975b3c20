package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaRequest;
import io.sagastream.contracts.v1.StartSaga;
import io.sagastream.definition.CommandSpec;
import io.sagastream.definition.DefinitionDeployer;
import io.sagastream.definition.DefinitionPublisher;
import io.sagastream.definition.DefinitionSpec;
import io.sagastream.definition.ReceiveStepSpec;
import io.sagastream.definition.SchemaSource;
import io.sagastream.engine.ReceiveSpec.ReceiveTimeoutAction;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.registry.serde.SubjectNameStrategy;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.ScriptedParticipant;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
  private KafkaStreams node;
  private ScriptedParticipant participant;

  @BeforeAll
  void start(KafkaCluster kafka, SchemaRegistryServer server, @TempDir Path state) {
    this.kafka = kafka;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    this.topics = new SagaTopics(prefix, PARTITIONS, (short) 1);
    kafka.createTopic(prefix + "inventory.commands", PARTITIONS, 1, Map.of());
    kafka.createTopic(prefix + "shipping.commands", PARTITIONS, 1, Map.of());
    node =
        new OrchestratorNode(
                prefix + "orchestrator",
                kafka.bootstrapServers(),
                state,
                topics,
                true,
                TopologySettings.defaults(),
                Map.of())
            .start(registry, SagaMetrics.NONE);
    try (var producer = producer()) {
      new DefinitionPublisher(producer, registry, topics.definitions())
          .publish(
              new DefinitionDeployer(registry).prepare(definition(), 1, "{}", "it", Instant.now()));
    }
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
    send(topics.messages(), key, value);
  }

  private void startSaga(String key) {
    GenericRecord data = new GenericData.Record(DATA);
    data.put("orderId", key);
    data.put("amount", 1L);
    byte[] framed =
        new AvroSerializer<GenericRecord>(registry, SerializerOptions.defaults())
            .serialize(prefix + "data", data);
    SagaRequest request =
        SagaRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setSagaKey(key)
            .setRequestedAt(Instant.now())
            .setRequest(
                StartSaga.newBuilder()
                    .setDefinitionName("paid-order")
                    .setData(ByteBuffer.wrap(framed))
                    .build())
            .build();
    send(
        topics.requests(),
        key,
        new AvroSerializer<SagaRequest>(registry, SerializerOptions.defaults())
            .serialize(topics.requests(), request));
  }

  private void send(String topic, String key, byte[] value) {
    try (var producer =
        new KafkaProducer<>(
            producerConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private List<String> journalOf(String key) {
    var deserializer = AvroDeserializer.specific(registry, SagaEvent.class);
    List<String> events = new ArrayList<>();
    try (var consumer = consumer("journal-" + UUID.randomUUID())) {
      consumer.subscribe(List.of(topics.events()));
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          SagaEvent event = deserializer.deserialize(topics.events(), record.value());
          if (event.getSagaKey().equals(key)) {
            events.add(event.getEvent().getClass().getSimpleName());
          }
        }
      }
    }
    return events;
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

  private KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        producerConfig(),
        new org.apache.kafka.common.serialization.StringSerializer(),
        new ByteArraySerializer());
  }

  private Map<String, Object> producerConfig() {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG,
        "all");
  }

  private KafkaConsumer<byte[], byte[]> consumer(String group) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            prefix + group,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }
}
