package io.sagastream.app;

import io.sagastream.contracts.v1.SagaRequest;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.topology.SagaTopics;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes API calls to the requests and messages topics, so whichever node an HTTP call reaches, the
 * node that owns the key carries it out.
 */
@Singleton
final class RequestWriter {

  private final Producer<String, byte[]> producer;
  private final AvroSerializer<SagaRequest> serializer;
  private final SagaTopics topics;

  RequestWriter(Producer<String, byte[]> producer, SchemaRegistry registry, SagaTopics topics) {
    this.producer = producer;
    this.serializer = new AvroSerializer<>(registry, SerializerOptions.defaults());
    this.topics = topics;
  }

  /** Writes a request on {@code key} and waits until the broker has it; returns its id. */
  String request(String key, String requestId, Object body) {
    String id = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
    SagaRequest request =
        SagaRequest.newBuilder()
            .setRequestId(id)
            .setSagaKey(key)
            .setRequestedBy("anonymous")
            .setRequestedAt(Instant.now())
            .setRequest(body)
            .build();
    send(
        new ProducerRecord<>(
            topics.requests(), key, serializer.serialize(topics.requests(), request)));
    return id;
  }

  void message(String key, byte[] value, RecordHeaders headers) {
    send(new ProducerRecord<>(topics.messages(), null, key, value, headers));
  }

  private void send(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while writing to " + record.topic(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot write to " + record.topic() + ": " + e, e);
    }
  }
}
