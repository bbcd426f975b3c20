package io.sagastream.topology;

import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaRequest;
import io.sagastream.contracts.v1.StartSaga;
import io.sagastream.definition.DefinitionDeployer;
import io.sagastream.definition.DefinitionRecords;
import io.sagastream.definition.DefinitionSpec;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.testing.KafkaCluster;
import io.sagastream.testing.TopicIo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the integration tests do to an orchestrator through its topics: deploy, start, read the
 * journal.
 */
final class SagaClient {

  private final KafkaCluster kafka;
  private final SchemaRegistry registry;
  private final SagaTopics topics;

  SagaClient(KafkaCluster kafka, SchemaRegistry registry, SagaTopics topics) {
    this.kafka = kafka;
    this.registry = registry;
    this.topics = topics;
  }

  /** Deploys {@code spec} as version 1. */
  void deploy(DefinitionSpec spec) {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new DefinitionRecords(registry, topics.definitions())
                  .record(
                      new DefinitionDeployer(registry).prepare(spec, 1, "{}", "it", Instant.now())))
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deploying " + spec.name(), e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot deploy " + spec.name(), e);
    }
  }

  /** Writes a start request for {@code definition} on {@code key} with {@code data}. */
  void start(String definition, String key, GenericRecord data) {
    byte[] framed =
        new AvroSerializer<GenericRecord>(registry, SerializerOptions.defaults())
            .serialize(topics.prefix() + "data", data);
    SagaRequest request =
        SagaRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setSagaKey(key)
            .setRequestedAt(Instant.now())
            .setRequest(
                StartSaga.newBuilder()
                    .setDefinitionName(definition)
                    .setData(ByteBuffer.wrap(framed))
                    .build())
            .build();
    send(
        topics.requests(),
        key,
        new AvroSerializer<SagaRequest>(registry, SerializerOptions.defaults())
            .serialize(topics.requests(), request));
  }

  void send(String topic, String key, byte[] value) {
    TopicIo.produce(
        kafka,
        new StringSerializer(),
        new ByteArraySerializer(),
        List.of(new ProducerRecord<>(topic, key, value)));
  }

  /** The types of the journal events of {@code key} published so far (read for three seconds). */
  List<String> journalOf(String key) {
    var deserializer = AvroDeserializer.specific(registry, SagaEvent.class);
    List<String> events = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "journal-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
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
}
