package io.sagastream.registry.serde;

import static io.sagastream.registry.TestSchemas.order;
import static io.sagastream.registry.TestSchemas.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.testing.OrderPlaced;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.RealInfrastructure;
import io.sagastream.testing.SchemaRegistryServer;
import io.sagastream.testing.TopicIo;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our serde against an independent implementation of the same wire format: Confluent's official
 * JavaScript serde, with kafkajs, through the same broker and registry.
 */
@RealInfrastructure
class ConfluentJavaScriptInteropIT {

  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();

  private KafkaCluster kafka;
  private SchemaRegistryServer server;
  private SchemaRegistry registry;
  private AvroSerializer<OrderPlaced> serializer;

  @BeforeAll
  static void installConfluentsJavaScriptSerde() {
    ConfluentJavaScript.install();
  }

  @BeforeEach
  void connect(KafkaCluster kafka, SchemaRegistryServer server) {
    this.kafka = kafka;
    this.server = server;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.of(server.url()));
    this.serializer = new AvroSerializer<>(registry, SerializerOptions.defaults());
  }

  @Test
  void confluentsDeserializerReadsWhatOurSerializerWrote() {
    // given orders written by our serializer
    String topic = unique("java-to-js");
    List<OrderPlaced> orders = List.of(order("o-1", 1999, null), order("o-2", 250, "ring twice"));
    TopicIo.produce(
        kafka,
        new StringSerializer(),
        serializer,
        orders.stream().map(o -> new ProducerRecord<>(topic, o.getOrderId(), o)).toList());
    int id = registry.lookup(topic + "-value", OrderPlaced.getClassSchema()).id();
    List<byte[]> onTheTopic = rawValues(topic, orders.size());

    // when Confluent's JavaScript deserializer reads the topic
    List<JsonNode> read = confluent("consume", topic, "--count", Integer.toString(orders.size()));

    // then it saw our framing byte for byte and decoded the same values
    assertThat(read).hasSize(orders.size());
    for (int i = 0; i < orders.size(); i++) {
      JsonNode line = read.get(i);
      OrderPlaced order = orders.get(i);
      assertThat(line.path("magic").asInt()).isZero();
      assertThat(line.path("schemaId").asInt()).isEqualTo(id);
      assertThat(line.path("valueHex").asText()).isEqualTo(HEX.formatHex(onTheTopic.get(i)));
      JsonNode value = line.path("value");
      assertThat(value.path("orderId").asText()).isEqualTo(order.getOrderId());
      assertThat(value.path("amountCents").asLong()).isEqualTo(order.getAmountCents());
      assertThat(value.path("currency").asText()).isEqualTo("EUR");
      assertThat(value.path("lines").get(0).path("sku").asText()).isEqualTo("sku-1");
      assertThat(value.path("placedAt").asLong()).isEqualTo(order.getPlacedAt().toEpochMilli());
      assertThat(value.path("note").isNull() ? null : value.path("note").asText())
          .isEqualTo(order.getNote());
    }
  }

  @Test
  void ourDeserializerReadsWhatConfluentsSerializerWrote(@TempDir Path work) throws IOException {
    // given orders written by Confluent's JavaScript serializer, which registers the schema itself
    String topic = unique("js-to-java");
    List<OrderPlaced> orders = List.of(order("o-3", 1, "fragile"), order("o-4", 99_999, null));
    List<JsonNode> written =
        confluent(
            "produce",
            topic,
            "--schema",
            orderSchemaFile().toString(),
            "--values",
            valuesFile(work, orders).toString());
    assertThat(written).hasSize(orders.size());

    // when our deserializer reads the topic
    var read =
        TopicIo.consume(
            kafka,
            topic,
            orders.size(),
            new StringDeserializer(),
            AvroDeserializer.specific(registry, OrderPlaced.class));

    // then it decodes the same orders
    assertThat(read).extracting(ConsumerRecord::value).containsExactlyElementsOf(orders);

    // and the framing is the same byte for byte: magic 0, the id the registry gave Confluent's
    // client, and the Avro body our encoder writes for the same order
    List<byte[]> onTheTopic = rawValues(topic, orders.size());
    for (int i = 0; i < orders.size(); i++) {
      byte[] bytes = onTheTopic.get(i);
      int id = written.get(i).path("schemaId").asInt();
      assertThat(HEX.formatHex(bytes)).isEqualTo(written.get(i).path("valueHex").asText());
      assertThat(bytes[0]).isZero();
      assertThat(ConfluentWireFormat.unframe(topic, bytes).schemaId()).isEqualTo(id);
      assertThat(SchemaNormalization.toParsingForm(registry.schemaById(id)))
          .isEqualTo(SchemaNormalization.toParsingForm(OrderPlaced.getClassSchema()));
      byte[] ours = serializer.serialize(unique("body-only"), orders.get(i));
      assertThat(body(bytes)).isEqualTo(body(ours));
    }
  }

  @Test
  void onTheSameRegisteredVersionBothSerializersWriteIdenticalBytes(@TempDir Path work)
      throws IOException {
    // given a subject whose latest version our serializer registered
    String topic = unique("same-bytes");
    OrderPlaced order = order("o-5", 4200, "same bytes please");
    byte[] ours = serializer.serialize(topic, order);

    // when Confluent's serializer writes the same order with the latest version
    List<JsonNode> written =
        confluent(
            "produce",
            topic,
            "--use-latest",
            "true",
            "--values",
            valuesFile(work, List.of(order)).toString());

    // then both wrote exactly the same bytes
    assertThat(written)
        .singleElement()
        .satisfies(
            line -> assertThat(line.path("valueHex").asText()).isEqualTo(HEX.formatHex(ours)));
  }

  /**
   * Runs Confluent's JavaScript serde in {@code mode} on {@code topic} of our broker and registry.
   */
  private List<JsonNode> confluent(String mode, String topic, String... options) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                mode,
                "--bootstrap",
                kafka.bootstrapServers(),
                "--registry",
                server.url(),
                "--topic",
                topic));
    arguments.addAll(List.of(options));
    return ConfluentJavaScript.interop(arguments.toArray(String[]::new));
  }

  private List<byte[]> rawValues(String topic, int count) {
    return TopicIo.consume(
            kafka, topic, count, new StringDeserializer(), new ByteArrayDeserializer())
        .stream()
        .map(ConsumerRecord::value)
        .toList();
  }

  private static byte[] body(byte[] framed) {
    return Arrays.copyOfRange(framed, ConfluentWireFormat.HEADER_LENGTH, framed.length);
  }

  private static Path orderSchemaFile() {
    try {
      return Path.of(ConfluentJavaScriptInteropIT.class.getResource("/OrderPlaced.avsc").toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** The orders in the harness's input format: [{"key": .., "value": {avsc JSON}}]. */
  private static Path valuesFile(Path work, List<OrderPlaced> orders) throws IOException {
    ArrayNode entries = JSON.createArrayNode();
    for (OrderPlaced order : orders) {
      ObjectNode value = entries.addObject().put("key", order.getOrderId()).putObject("value");
      value.put("orderId", order.getOrderId());
      value.put("amountCents", order.getAmountCents());
      value.put("currency", order.getCurrency().name());
      ArrayNode lines = value.putArray("lines");
      order
          .getLines()
          .forEach(l -> lines.addObject().put("sku", l.getSku()).put("quantity", l.getQuantity()));
      value.put("placedAt", order.getPlacedAt().toEpochMilli());
      value.put("note", order.getNote());
      value.put("express", order.getExpress());
    }
    Path file = work.resolve("values.json");
    Files.writeString(file, entries.toString());
    return file;
  }
}
