package io.sagastream.topology;

import io.sagastream.contracts.v1.DeadLetterReason;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output the broker refuses for good (too large, say) sends the input that caused it to dead
 * letters, naming the topic it was for, and processing goes on.
 */
public final class DeadLetterProductionExceptionHandler implements ProductionExceptionHandler {

  private static final Logger LOG =
      LoggerFactory.getLogger(DeadLetterProductionExceptionHandler.class);

  private String topic;
  private int largestValueBytes;

  @Override
  public void configure(Map<String, ?> configs) {
    topic = DeadLetters.topic(configs);
    largestValueBytes = RecordSizes.largestDeadLetterValueBytes(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    return deadLetter(context, record, exception);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    return deadLetter(context, record, exception);
  }

  private Response deadLetter(
      ErrorHandlerContext context, ProducerRecord<?, ?> record, Exception exception) {
    LOG.error("Cannot produce to {}; the input goes to {}", record.topic(), topic, exception);
    var deadLetter =
        DeadLetters.of(
            topic, context, DeadLetterReason.PRODUCTION_FAILED, exception, largestValueBytes);
    deadLetter
        .headers()
        .add("dlq-output-topic", record.topic().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return Response.resume(List.of(deadLetter));
  }
}
