package io.sagastream.worker;

import io.sagastream.registry.SchemaRegistryException;
import io.sagastream.registry.serde.UnreadableRecordException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one command record into its reply record: reads it, calls its handler, and maps what the
 * handler did or threw to an outcome. Registry errors are not the command's fault and are not
 * answered: they propagate, so that the batch is aborted and tried again.
 */
final class CommandDispatcher {

  /** The error code of a failure reply to a command whose headers or value cannot be read. */
  static final String UNREADABLE_COMMAND = "UNREADABLE_COMMAND";

  /** The error code of a failure reply whose record would be larger than the producer sends. */
  static final String REPLY_TOO_LARGE = "REPLY_TOO_LARGE";

  /** Kafka refused the reply record itself (too large for the topic, say), not the batch. */
  static final String REPLY_REFUSED = "REPLY_REFUSED";

  /** Room left in a request for the record's framing and the echoed headers. */
  private static final int REQUEST_OVERHEAD = 8 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

  private final Map<String, Subscription<?>> subscriptions;
  private final Serializer<GenericContainer> replySerializer;
  private final CountingWorkerMetrics metrics;
  private final int largestReply;

  /**
   * @param largestRequest the producer's {@code max.request.size}: a larger reply would fail the
   *     transaction of its whole batch, again on every try
   */
  CommandDispatcher(
      Map<String, Subscription<?>> subscriptions,
      Serializer<GenericContainer> replySerializer,
      CountingWorkerMetrics metrics,
      int largestRequest) {
    this.subscriptions = subscriptions;
    this.replySerializer = replySerializer;
    this.metrics = metrics;
    this.largestReply = largestRequest - REQUEST_OVERHEAD;
  }

  /** The reply to send, or empty when the command cannot be answered at all. */
  Optional<ProducerRecord<byte[], byte[]>> dispatch(
      ConsumerRecord<byte[], byte[]> record, CountingWorkerMetrics.Tally tally) {
    String topic = record.topic();
    Optional<ReplyAddress> address = CommandHeaders.replyAddress(record);
    if (address.isEmpty()) {
      LOG.warn(
          "Skipped the record at {}-{} offset {}: it lacks a key, a reply-to that names a topic, a"
              + " saga-id or a command-id, so it cannot be answered",
          topic,
          record.partition(),
          record.offset());
      tally.skipped(topic);
      return Optional.empty();
    }
    CommandContext context;
    Callable<Reply> handlerCall;
    try {
      context = CommandHeaders.context(record);
      handlerCall = subscriptions.get(topic).read(record, context);
    } catch (MalformedCommandException | UnreadableRecordException e) {
      LOG.warn(
          "Command {} at {}-{} offset {} is unreadable, replying {}: {}",
          address.get().commandId(),
          topic,
          record.partition(),
          record.offset(),
          UNREADABLE_COMMAND,
          e.getMessage());
      tally.unreadable(topic);
      return Optional.of(
          replyRecord(
              topic, address.get(), Reply.failure(UNREADABLE_COMMAND, e.getMessage()), tally));
    }
    Reply reply = call(handlerCall, context);
    return Optional.of(replyRecord(topic, address.get(), reply, tally));
  }

  private Reply call(Callable<Reply> handlerCall, CommandContext context) {
    long start = System.nanoTime();
    try {
      return Objects.requireNonNull(handlerCall.call(), "the handler returned null, not a Reply");
    } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
      Optional<CommandRejectedException> rejection = rejectionIn(e);
      if (rejection.isPresent()) {
        return Reply.failure(rejection.get().errorCode(), rejection.get().getMessage());
      }
      // The Errors a handler's own code raises (endless recursion, a class that failed to load, an
      // assert) fail this command, not the worker: stopping would move the partition to the next
      // instance, which the same command would stop as well.
      LOG.warn("The handler failed on {}; replying retryable-failure", context, e);
      return Reply.retryableFailure(e.getClass().getName(), e.getMessage());
    } finally {
      metrics.handlerCalled(context.topic(), System.nanoTime() - start);
    }
  }

  /**
   * The refusal behind {@code thrown}: a handler that waits on a future, or calls through a proxy,
   * gets the refusal wrapped ({@code CompletionException}, {@code ExecutionException}, {@code
   * UndeclaredThrowableException}), and it must still end the step rather than have it retried.
   */
  static Optional<CommandRejectedException> rejectionIn(Throwable thrown) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable cause = thrown;
    // Bounded, and checked for loops: getCause() may be overridden by any library on the way.
    for (int depth = 0; cause != null && depth < 16 && seen.add(cause); depth++) {
      if (cause instanceof CommandRejectedException rejected) {
        return Optional.of(rejected);
      }
      cause = cause.getCause();
    }
    return Optional.empty();
  }

  private ProducerRecord<byte[], byte[]> replyRecord(
      String topic, ReplyAddress address, Reply reply, CountingWorkerMetrics.Tally tally) {
    Reply sent = reply;
    byte[] value = null;
    if (reply.value().isPresent()) {
      try {
        value = replySerializer.serialize(address.replyTo(), reply.value().get());
      } catch (RuntimeException e) {
        if (causedByRegistry(e)) {
          throw e;
        }
        // A record that cannot be encoded is a handler bug, like an exception from the handler.
        LOG.warn("The reply to command {} cannot be encoded", address.commandId(), e);
        sent = Reply.retryableFailure(e.getClass().getName(), e.getMessage());
      }
      if (value != null && value.length > largestReply) {
        LOG.warn(
            "The reply to command {} is {} bytes, more than the producer sends; replying {}",
            address.commandId(),
            value.length,
            REPLY_TOO_LARGE);
        sent =
            Reply.failure(
                REPLY_TOO_LARGE,
                "the reply is "
                    + value.length
                    + " bytes; the worker's producer sends at most "
                    + largestReply
                    + " for a reply (max.request.size less room for headers)");
        value = null;
      }
    }
    tally.handled(topic, sent.outcome());
    return address.reply(sent, value);
  }

  private static boolean causedByRegistry(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SchemaRegistryException) {
        return true;
      }
    }
    return false;
  }
}
