package io.sagastream.worker;

import java.time.Duration;
import java.util.Set;

/**
 * A read-only view of a worker's counters; every call reads the current value. Counts of commands
 * move only when their batch's transaction commits, so a batch that was aborted and redone counts
 * once. Bind it to the metrics library of the application (see the README for Micrometer).
 */
public interface WorkerMetrics {

  /** The command topics the worker serves. */
  Set<String> topics();

  /**
   * Replies committed for commands from {@code topic} with {@code outcome}; unreadable commands
   * that were answered count here under {@link Outcome#FAILURE} too.
   */
  long commandsHandled(String topic, Outcome outcome);

  /**
   * Commands answered {@code failure} with error code {@code UNREADABLE_COMMAND} because their
   * headers or value could not be read.
   */
  long unreadableCommands(String topic);

  /**
   * Commands passed over without a reply because they lack what a reply needs (a key, a {@code
   * reply-to} that names a topic, {@code saga-id} or {@code command-id}).
   */
  long skippedCommands(String topic);

  /** How long the handler of {@code topic} took, over every call, redone batches included. */
  HandlerLatency handlerLatency(String topic);

  /** Transactions aborted (and their batch redone) after a Kafka or registry error. */
  long abortedTransactions();

  /** Transactional producers closed and created again after a fatal producer error. */
  long producerRestarts();

  /**
   * Batches whose handlers took longer than half the transaction timeout, so that the worker
   * committed the commands handled by then and read the rest again. Often above zero: the handlers
   * are slow for the batch size ({@code max.poll.records}) or for {@code transaction.timeout.ms}.
   */
  default long batchesCutShort() {
    return 0;
  }

  /** Handler calls so far, their total time and the longest one. */
  record HandlerLatency(long count, Duration total, Duration max) {

    public static final HandlerLatency NONE = new HandlerLatency(0, Duration.ZERO, Duration.ZERO);

    public Duration mean() {
      return count == 0 ? Duration.ZERO : total.dividedBy(count);
    }
  }
}
