package io.sagastream.topology;

import io.sagastream.contracts.v1.DeadLetterReason;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output the broker refuses for good (too large, say) sends the input that caused it to dead
 * letters, naming the topic it was for, and processing goes on. A refusal that may pass is tried
 * again, and a store's changelog record or a dead letter that cannot be written fails the thread.
 */
public final class DeadLetterProductionExceptionHandler implements ProductionExceptionHandler {

  private static final Logger LOG =
      LoggerFactory.getLogger(DeadLetterProductionExceptionHandler.class);

  private static final String CHANGELOG_SUFFIX = "-changelog";

  private String topic;
  private int largestValueBytes;
  private SagaMetrics metrics;

  @Override
  public void configure(Map<String, ?> configs) {
    topic = DeadLetters.topic(configs);
    metrics = DeadLetters.metrics(configs);
    largestValueBytes = RecordSizes.largestDeadLetterValueBytes(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) {
      // A broker not answering, or not enough replicas in sync: not the input's fault, and the
      // write may succeed again (Kafka Streams runs the task again from its last commit).
      LOG.warn("Cannot produce to {} for now; the task runs again", record.topic(), exception);
      return Response.retry();
    }
    if (record.topic().endsWith(CHANGELOG_SUFFIX) || record.topic().equals(topic)) {
      // A store's changelog record dropped would leave the restored state behind what was sent,
      // and a dead letter that cannot be written cannot be dead-lettered: the thread fails.
      LOG.error("Cannot produce to {}; the thread fails", record.topic(), exception);
      return Response.fail();
    }
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
    metrics.deadLettered(DeadLetterReason.PRODUCTION_FAILED);
    var deadLetter =
        DeadLetters.of(
            topic, context, DeadLetterReason.PRODUCTION_FAILED, exception, largestValueBytes);
    deadLetter
        .headers()
        .add("dlq-output-topic", record.topic().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return Response.resume(List.of(deadLetter));
  }
}
