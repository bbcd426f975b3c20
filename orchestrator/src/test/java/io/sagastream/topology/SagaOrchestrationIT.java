package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.definition.CommandSpec;
import io.sagastream.definition.DefinitionSpec;
import io.sagastream.definition.SchemaSource;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
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
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-step saga through a real broker and a real registry: an orchestrator node runs the
 * topology with exactly-once processing, and a participant in the test serves all three steps,
 * failing the shipment of orders whose key starts with "fail-".
 */
@RealInfrastructure
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SagaOrchestrationIT {

  private static final Schema DATA =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "OrderData", "namespace": "shop",
               "fields": [{"name": "orderId", "type": "string"}, {"name": "amount", "type": "long"}]}""");

  private final String prefix = "it" + UUID.randomUUID().toString().substring(0, 6) + ".";
  private KafkaCluster kafka;
  private SchemaRegistry registry;
  private SagaTopics topics;
  private SagaClient client;
  private KafkaStreams node;
  private ScriptedParticipant participant;

  @BeforeAll
  void startNodeAndParticipant(
      KafkaCluster kafka, SchemaRegistryServer server, @TempDir Path state) {
    this.kafka = kafka;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    this.topics = new SagaTopics(prefix, 3, (short) 1);
    for (String step : List.of("inventory", "payment", "shipping")) {
      kafka.createTopic(prefix + step + ".commands", 3, 1, Map.of());
    }
    node = DefaultNode.start(prefix + "orchestrator", kafka, state, topics, registry);
    client = new SagaClient(kafka, registry, topics);
    client.deploy(orderFulfilment());
    await().atMost(Duration.ofSeconds(60)).until(() -> node.state() == KafkaStreams.State.RUNNING);
    participant =
        ScriptedParticipant.start(
            kafka,
            prefix + "participant",
            List.of(
                prefix + "inventory.commands",
                prefix + "payment.commands",
                prefix + "shipping.commands"),
            command ->
                Optional.of(
                    command.key().startsWith("fail-") && command.step().equals("schedule-shipment")
                        ? SagaHeaders.OUTCOME_FAILURE
                        : SagaHeaders.OUTCOME_SUCCESS));
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
  void aSagaWhoseParticipantsAllSucceedCompletes() {
    start("ok-1");

    await().atMost(Duration.ofSeconds(60)).until(() -> journalOf("ok-1").contains("SagaCompleted"));

    assertThat(receivedFor("ok-1"))
        .containsExactly(
            "reserve-inventory action", "charge-payment action", "schedule-shipment action");
  }

  @Test
  void whenTheThirdStepFailsTheParticipantSeesCompensationsTwoThenOne() {
    start("fail-1");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> journalOf("fail-1").contains("SagaCompensated"));

    assertThat(receivedFor("fail-1"))
        .containsExactly(
            "reserve-inventory action",
            "charge-payment action",
            "schedule-shipment action",
            "charge-payment compensation",
            "reserve-inventory compensation");
  }

  private List<String> receivedFor(String key) {
    return participant.received().stream()
        .filter(command -> command.key().equals(key))
        .map(command -> command.step() + " " + command.kind())
        .toList();
  }

  private DefinitionSpec orderFulfilment() {
    return DefinitionSpec.builder("order-fulfilment")
        .data(new SchemaSource.Inline(DATA))
        .step(
            "reserve-inventory",
            command("inventory", "ReserveInventory"),
            command("inventory", "ReleaseInventory"))
        .step(
            "charge-payment",
            command("payment", "ChargePayment"),
            command("payment", "RefundPayment"))
        .step(
            "schedule-shipment",
            command("shipping", "ScheduleShipment"),
            command("shipping", "CancelShipment"))
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

  private void start(String key) {
    GenericRecord data = new GenericData.Record(DATA);
    data.put("orderId", key);
    data.put("amount", 100L);
    client.start("order-fulfilment", key, data);
  }

  private List<String> journalOf(String key) {
    return client.journalOf(key);
  }
}
