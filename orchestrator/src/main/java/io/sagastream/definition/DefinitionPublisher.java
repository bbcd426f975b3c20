package io.sagastream.definition;

import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.topology.DefinitionKeys;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a deployed definition version to the compacted definitions topic, keyed by name and
 * version.
 */
public final class DefinitionPublisher {

  private final Producer<String, byte[]> producer;
  private final AvroSerializer<DeployedDefinition> serializer;
  private final String topic;

  public DefinitionPublisher(
      Producer<String, byte[]> producer, SchemaRegistry registry, String topic) {
    this.producer = producer;
    this.serializer = new AvroSerializer<>(registry, SerializerOptions.defaults());
    this.topic = topic;
  }

  /** The record that deploys {@code definition}, for a caller that writes it itself. */
  public ProducerRecord<String, byte[]> record(DeployedDefinition definition) {
    String key = DefinitionKeys.key(definition.getName(), definition.getVersion());
    return new ProducerRecord<>(topic, key, serializer.serialize(topic, definition));
  }

  /** Publishes and waits until the broker has it. */
  public void publish(DeployedDefinition definition) {
    ProducerRecord<String, byte[]> record = record(definition);
    String key = record.key();
    try {
      producer.send(record).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while publishing " + key, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot publish definition " + key + ": " + e, e);
    }
  }
}
