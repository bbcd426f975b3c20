package io.sagastream.app;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.contracts.v1.SagaRequest;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroSerializer;
import io.sagastream.registry.serde.SerializerOptions;
import io.sagastream.topology.SagaTopics;
import io.sagastream.topology.TraceContext;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
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

  /**
   * Writes a request on {@code key} by {@code requestedBy} (journaled with what it causes) and
   * waits until the broker has it; returns its id.
   */
  String request(String key, String requestId, Object body, String requestedBy) {
    return request(key, requestId, body, requestedBy, null);
  }

  /**
   * Writes a request in the caller's trace: a start carries {@code traceparent} (when valid) as a
   * Kafka header, and the saga joins that trace.
   */
  String request(
      String key, String requestId, Object body, String requestedBy, String traceparent) {
    String id = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
    SagaRequest request =
        SagaRequest.newBuilder()
            .setRequestId(id)
            .setSagaKey(key)
            .setRequestedBy(requestedBy)
            .setRequestedAt(Instant.now())
            .setRequest(body)
            .build();
    RecordHeaders headers = new RecordHeaders();
    TraceContext.valid(traceparent)
        .ifPresent(
            trace -> headers.add(SagaHeaders.TRACEPARENT, trace.getBytes(StandardCharsets.UTF_8)));
    writeInput(
        new ProducerRecord<>(
            topics.requests(),
            null,
            key,
            serializer.serialize(topics.requests(), request),
            headers));
    return id;
  }

  void message(String key, byte[] value, RecordHeaders headers) {
    writeInput(new ProducerRecord<>(topics.messages(), null, key, value, headers));
  }

  /**
   * Writes a request or message: one larger than Kafka takes is a 413, since the same call can
   * never be taken (a 503 had clients retry it for ever). A definition refused for its size is
   * still a 503: the definitions topic's limit is the operator's to raise.
   */
  private void writeInput(ProducerRecord<String, byte[]> record) {
    try {
      write(record);
    } catch (KafkaWriteException e) {
      if (e.getCause() instanceof ExecutionException failed
          && failed.getCause() instanceof RecordTooLargeException tooLarge) {
        throw new PayloadTooLargeException(
            "the call makes a record larger than Kafka takes (" + tooLarge.getMessage() + ")");
      }
      throw e;
    }
  }

  /** Writes {@code record} and waits until the broker has it; a 503 if it does not take it. */
  void write(ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaWriteException("interrupted while writing to " + record.topic(), e);
    } catch (ExecutionException e) {
      throw new KafkaWriteException(
          "Kafka did not take the write to " + record.topic() + ": " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new KafkaWriteException(
          "Kafka did not take the write to "
              + record.topic()
              + ": no answer in 30 s (the write may still land)",
          e);
    }
  }
}
