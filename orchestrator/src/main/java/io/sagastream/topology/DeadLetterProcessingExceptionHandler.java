package io.sagastream.topology;

import io.sagastream.contracts.v1.DeadLetterReason;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An unexpected failure while processing a record sends the record to dead letters and goes on, so
 * no input can put a node into a crash loop. A registry that does not answer is not the record's
 * fault, and neither is Kafka refusing the node (a missing ACL): that fails the thread, which is
 * replaced and tries the record again.
 */
public final class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {

  private static final Logger LOG =
      LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);

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
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (notTheInputsFault(exception)) {
      // Not the record's fault: a missing ACL (or login) fails the thread, which is replaced and
      // tries the record again, rather than sending a good record to dead letters.
      return Response.fail();
    }
    if (context.sourceRawValue() == null && context.sourceRawKey() == null) {
      // A punctuation: there is no record to keep.
      LOG.error("Processing failed in a punctuation of task {}", context.taskId(), exception);
      return Response.resume();
    }
    LOG.error(
        "Processing failed at {}-{}@{}; the record goes to {}",
        context.topic(),
        context.partition(),
        context.offset(),
        topic,
        exception);
    metrics.deadLettered(DeadLetterReason.PROCESSING_FAILED);
    return Response.resume(
        List.of(
            DeadLetters.of(
                topic, context, DeadLetterReason.PROCESSING_FAILED, exception, largestValueBytes)));
  }

  /**
   * A registry that does not answer, Kafka refusing the node or not answering it, or a state store
   * that fails (a full disk): the thread should fail. Dead-lettering good input would leave what
   * the processor sent before the failure standing without the state that goes with it.
   */
  static boolean notTheInputsFault(Exception exception) {
    return RegistryOutage.in(exception).isPresent()
        || KafkaAccess.refusalIn(exception).isPresent()
        || storeOrKafkaFailureIn(exception);
  }

  private static boolean storeOrKafkaFailureIn(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ProcessorStateException
          || t instanceof InvalidStateStoreException
          || t instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }
}
