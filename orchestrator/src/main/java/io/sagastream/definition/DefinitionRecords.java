package io.sagastream.definition;

import io.sagastream.contracts.v1.DeployedDefinition;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.topology.DefinitionKeys;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records that deploy definition versions on the compacted definitions topic, keyed by name and
 * version. Whoever writes one waits for the broker and answers for its failure (the API: a 503).
 */
public final class DefinitionRecords {

  private final AvroSerializer<DeployedDefinition> serializer;
  private final String topic;

  public DefinitionRecords(SchemaRegistry registry, String topic) {
    this.serializer = new AvroSerializer<>(registry, SerializerOptions.defaults());
    this.topic = topic;
  }

  /** The record that deploys {@code definition}. */
  public ProducerRecord<String, byte[]> record(DeployedDefinition definition) {
    String key = DefinitionKeys.key(definition.getName(), definition.getVersion());
    return new ProducerRecord<>(topic, key, serializer.serialize(topic, definition));
  }
}
