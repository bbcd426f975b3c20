package io.sagastream.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's thread: poll a batch of commands, and in one transaction send their replies and
 * commit their offsets. A batch that fails is aborted and read again from the committed offsets, so
 * each command's reply is committed exactly once, whatever happens in between.
 */
final class WorkerLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Duration COMMITTED_LOOKUP_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Refusals further apart than this are counted afresh: the worker was let in between. Tries go at
   * most {@link #MAX_BACKOFF} plus the time to connect apart while Kafka keeps refusing.
   */
  private static final Duration REFUSALS_APART = Duration.ofMinutes(1);

  private final WorkerSettings settings;
  private final Duration batchTimeBudget;
  private final String batchTimeBudgetBound;
  private final List<String> topics;
  private final CommandDispatcher dispatcher;
  private final CountingWorkerMetrics metrics;

  /**
   * Commands still to be handled one per transaction: Kafka refused a record of a batch (a reply
   * larger than the reply topic takes), and only a transaction of one command says which. Read
   * again whole, the batch would be refused on every try, its partitions blocked for good.
   */
  private int oneByOne;

  private volatile boolean running = true;
  private volatile Instant closeDeadline;
  private volatile Consumer<byte[], byte[]> consumer;
  private volatile Throwable failure;
  private volatile ApiException refusal;

  WorkerLoop(
      WorkerSettings settings,
      List<String> topics,
      CommandDispatcher dispatcher,
      CountingWorkerMetrics metrics) {
    this.settings = settings;
    this.batchTimeBudget = settings.batchTimeBudget();
    this.batchTimeBudgetBound = settings.batchTimeBudgetBound();
    this.topics = List.copyOf(topics);
    this.dispatcher = dispatcher;
    this.metrics = metrics;
  }

  /**
   * Asks the thread to commit the commands of its batch handled so far, then close its clients by
   * {@code deadline}.
   */
  void stop(Instant deadline) {
    closeDeadline = deadline;
    running = false;
    Consumer<byte[], byte[]> polling = consumer;
    if (polling != null) {
      polling.wakeup();
    }
  }

  /** Why the thread stopped on its own, or null. */
  Throwable failure() {
    return failure;
  }

  /**
   * Kafka's refusal of the worker's credentials ({@link AuthenticationException}) or of an ACL it
   * needs ({@link AuthorizationException}) while the thread tries again, or null.
   */
  ApiException refusal() {
    return refusal;
  }

  /**
   * Serves until stopped. A refused login (a wrong password, an untrusted certificate) or a missing
   * ACL does not stop it: the clients are closed and built again after a pause that grows to 5 s,
   * so that what is put right on the Kafka side lets the worker in without a restart, and a
   * participant that runs only its worker is not sent into a crash loop. Anything else unexpected
   * stops it.
   */
  @Override
  public void run() {
    Backoff refused = new Backoff();
    int refusals = 0;
    long lastRefusal = System.nanoTime() - REFUSALS_APART.toNanos();
    try {
      while (running) {
        try {
          serve();
          return;
        } catch (AuthenticationException | AuthorizationException e) {
          long now = System.nanoTime();
          if (now - lastRefusal >= REFUSALS_APART.toNanos()) {
            refusals = 0;
            refused.reset();
          }
          lastRefusal = now;
          refusal = e;
          refusals++;
          if (refusals == 1 || refusals % 10 == 0) {
            LOG.error(
                e instanceof AuthenticationException
                    ? "Kafka refused the credentials of saga worker {} ({}; {} time(s) in a row);"
                        + " it tries again"
                    : "Kafka denied saga worker {} access, an ACL is missing ({}; {} time(s) in a"
                        + " row); it tries again",
                settings.transactionalId(),
                e.toString(),
                refusals);
          }
        }
        refused.pause();
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("Saga worker {} stopped: {}", settings.transactionalId(), e.toString(), e);
    } finally {
      LOG.info("Saga worker {} stopped", settings.transactionalId());
    }
  }

  /**
   * Builds the clients and polls until stopped; closes the clients however it ends. A refusal is
   * over once the consumer has joined its group: by then Kafka has taken the login and the ACLs on
   * the transactional id, the group and the topics' metadata.
   */
  private void serve() {
    Producer<byte[], byte[]> producer = null;
    try {
      consumer =
          new KafkaConsumer<>(
              settings.consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      producer = startProducer();
      consumer.subscribe(topics);
      boolean letIn = false;
      Backoff backoff = new Backoff();
      while (running && producer != null) {
        ConsumerRecords<byte[], byte[]> records;
        try {
          records = consumer.poll(settings.pollTimeout());
        } catch (WakeupException stopping) {
          continue;
        }
        if (!letIn && consumer.groupMetadata().generationId() > 0) {
          letIn = true;
          refusal = null;
        }
        if (!records.isEmpty()) {
          producer = process(records, producer, backoff);
        }
      }
    } finally {
      closeClients(producer);
    }
  }

  /** Returns the producer to go on with: the same one, or a new one after a fatal error. */
  private Producer<byte[], byte[]> process(
      ConsumerRecords<byte[], byte[]> records, Producer<byte[], byte[]> producer, Backoff backoff) {
    CountingWorkerMetrics.Tally tally = metrics.tally();
    Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    boolean stopping = false;
    ConsumerRecord<byte[], byte[]> lastHandled = null;
    int handledCount = 0;
    try {
      producer.beginTransaction();
      long deadline = System.nanoTime() + batchTimeBudget.toNanos();
      for (ConsumerRecord<byte[], byte[]> record : records) {
        // A whole batch of slow handlers can outlast the grace period between SIGTERM and SIGKILL,
        // which would leave the transaction open on the replies partitions until it times out.
        if (!running) {
          stopping = true;
          break;
        }
        if (!handled.isEmpty() && System.nanoTime() - deadline > 0) {
          break;
        }
        if (oneByOne > 0 && handledCount == 1) {
          break;
        }
        dispatcher.dispatch(record, tally).ifPresent(producer::send);
        handled.put(
            new TopicPartition(record.topic(), record.partition()),
            new OffsetAndMetadata(record.offset() + 1));
        lastHandled = record;
        handledCount++;
      }
      if (!handled.isEmpty()) {
        producer.sendOffsetsToTransaction(handled, consumer.groupMetadata());
      }
      producer.commitTransaction();
    } catch (ProducerFencedException
        | OutOfOrderSequenceException
        | AuthorizationException
        | UnsupportedVersionException fatal) {
      LOG.warn(
          "Producer {} cannot go on ({}); creating it again and reading the batch again. If this"
              + " repeats, another live worker has the same group and instance id.",
          settings.transactionalId(),
          fatal.toString());
      metrics.transactionAborted();
      Producer<byte[], byte[]> fresh = restartProducer(producer);
      rewind(records);
      if (fatal instanceof AuthorizationException denied) {
        // A missing ACL refuses the next try as well: wait, as for any failed batch, so that the
        // worker does not spin while someone grants it.
        refusal = denied;
        LOG.error(
            "Kafka denied saga worker {} access, an ACL is missing ({}); see the ACLs a worker"
                + " needs in the README",
            settings.transactionalId(),
            fatal.toString());
        backoff.pause();
      }
      return fresh;
    } catch (RuntimeException e) {
      Optional<ApiException> refused = refusedRecordIn(e);
      if (refused.isPresent() && oneByOne > 0 && handledCount == 1) {
        metrics.transactionAborted();
        Answered answered = answerRefused(abortOrRestart(producer), lastHandled, refused.get());
        rewind(records);
        if (answered.committed()) {
          oneByOne--;
        } else {
          backoff.pause();
        }
        return answered.producer();
      } else if (refused.isPresent() && oneByOne == 0) {
        oneByOne = records.count();
        LOG.warn(
            "Kafka refused a record of a batch of {} commands ({}); handling them one per"
                + " transaction to find which",
            records.count(),
            refused.get().toString());
      }
      LOG.warn(
          "Aborted a batch of {} commands, to be read again: {}", records.count(), e.toString(), e);
      // A reply refused by an ACL reaches the commit wrapped ("in an error state"): the worker
      // is refused all the same, and says so.
      deniedIn(e)
          .ifPresent(
              denied -> {
                refusal = denied;
                LOG.error(
                    "Kafka denied saga worker {} access, an ACL is missing ({}); see the ACLs a"
                        + " worker needs in the README",
                    settings.transactionalId(),
                    denied.toString());
              });
      metrics.transactionAborted();
      Producer<byte[], byte[]> usable = abortOrRestart(producer);
      rewind(records);
      backoff.pause();
      return usable;
    } catch (Error e) {
      abortQuietly(producer);
      throw e;
    }
    tally.committed();
    refusal = null;
    backoff.reset();
    oneByOne = Math.max(0, oneByOne - handledCount);
    readAgainWhatWasNotHandled(records, handled, stopping);
    return producer;
  }

  /** The refusal of one record behind {@code failure}, which only that record would meet again. */
  static Optional<ApiException> refusedRecordIn(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
      if (cause instanceof RecordTooLargeException
          || cause instanceof InvalidRecordException
          || cause instanceof InvalidTopicException) {
        return Optional.of((ApiException) cause);
      }
    }
    return Optional.empty();
  }

  /** The producer to go on with, and whether the refused command was committed. */
  private record Answered(Producer<byte[], byte[]> producer, boolean committed) {}

  /**
   * Commits {@code command} alone, with a {@code failure} reply that says Kafka refused its reply;
   * or, should that be refused too (a reply-to Kafka cannot write to), without a reply.
   */
  private Answered answerRefused(
      Producer<byte[], byte[]> producer,
      ConsumerRecord<byte[], byte[]> command,
      ApiException refused) {
    Optional<ReplyAddress> address = CommandHeaders.replyAddress(command);
    Reply failure =
        Reply.failure(
            CommandDispatcher.REPLY_REFUSED,
            "Kafka refused the reply to this command: " + refused.getMessage());
    for (boolean withReply : new boolean[] {true, false}) {
      if (withReply && address.isEmpty()) {
        continue;
      }
      CountingWorkerMetrics.Tally tally = metrics.tally();
      try {
        producer.beginTransaction();
        if (withReply) {
          producer.send(address.get().reply(failure, null));
          tally.handled(command.topic(), Outcome.FAILURE);
        } else {
          tally.skipped(command.topic());
        }
        producer.sendOffsetsToTransaction(
            Map.of(
                new TopicPartition(command.topic(), command.partition()),
                new OffsetAndMetadata(command.offset() + 1)),
            consumer.groupMetadata());
        producer.commitTransaction();
        tally.committed();
        LOG.error(
            "Kafka refused the reply to the command at {}-{} offset {} ({}); {}",
            command.topic(),
            command.partition(),
            command.offset(),
            refused.toString(),
            withReply ? "replied " + CommandDispatcher.REPLY_REFUSED : "skipped it, unanswered");
        return new Answered(producer, true);
      } catch (RuntimeException e) {
        producer = abortOrRestart(producer);
        if (producer == null || refusedRecordIn(e).isEmpty()) {
          return new Answered(producer, false);
        }
      }
    }
    return new Answered(producer, false);
  }

  /** The ACL refusal behind {@code failure}, however deep Kafka wrapped it. */
  static Optional<AuthorizationException> deniedIn(Throwable failure) {
    Throwable cause = failure;
    // Bounded, since a chain of causes may loop.
    for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
      if (cause instanceof AuthorizationException denied) {
        return Optional.of(denied);
      }
    }
    return Optional.empty();
  }

  /**
   * Moves back to the first command of each partition that the batch's time budget, or stopping,
   * left out.
   */
  private void readAgainWhatWasNotHandled(
      ConsumerRecords<byte[], byte[]> records,
      Map<TopicPartition, OffsetAndMetadata> handled,
      boolean stopping) {
    int left = 0;
    Set<TopicPartition> assigned = consumer.assignment();
    for (TopicPartition partition : records.partitions()) {
      if (!assigned.contains(partition)) {
        // Lost meanwhile (the consumer group protocol can revoke between polls): its new owner
        // reads from the offsets committed here.
        continue;
      }
      List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
      OffsetAndMetadata next = handled.get(partition);
      long first = next != null ? next.offset() : inPartition.get(0).offset();
      long last = inPartition.get(inPartition.size() - 1).offset();
      if (first <= last) {
        consumer.seek(partition, first);
        left += (int) inPartition.stream().filter(r -> r.offset() >= first).count();
      }
    }
    if (left == 0) {
      return;
    }
    if (stopping) {
      LOG.info(
          "Stopping: committed {} of a batch of {} commands; the other {} are left to be read"
              + " again",
          records.count() - left,
          records.count(),
          left);
      return;
    }
    metrics.batchCutShort();
    LOG.info(
        "Committed {} of a batch of {} commands within {} ({}); the other {} are read again",
        records.count() - left,
        records.count(),
        batchTimeBudgetBound,
        batchTimeBudget,
        left);
  }

  /**
   * Moves back to the committed offsets of the batch's partitions. Asked of the broker rather than
   * assumed: a commit that timed out may still have gone through. Partitions lost in a rebalance
   * are left to their new owner.
   */
  private void rewind(ConsumerRecords<byte[], byte[]> records) {
    Set<TopicPartition> assigned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed = consumer.committed(records.partitions(), COMMITTED_LOOKUP_TIMEOUT);
    } catch (RuntimeException e) {
      // Every batch before this one committed before it was polled, so its start is a safe guess.
      LOG.warn(
          "Cannot read the committed offsets, rewinding to the batch's start: {}", e.toString());
      committed = Map.of();
    }
    for (TopicPartition partition : records.partitions()) {
      if (!assigned.contains(partition)) {
        continue;
      }
      OffsetAndMetadata offset = committed.get(partition);
      consumer.seek(
          partition, offset != null ? offset.offset() : records.records(partition).get(0).offset());
    }
  }

  private Producer<byte[], byte[]> abortOrRestart(Producer<byte[], byte[]> producer) {
    try {
      producer.abortTransaction();
      return producer;
    } catch (RuntimeException e) {
      LOG.warn("Cannot abort the transaction ({}); creating the producer again", e.toString());
      return restartProducer(producer);
    }
  }

  private Producer<byte[], byte[]> restartProducer(Producer<byte[], byte[]> producer) {
    closeQuietly(producer, Duration.ZERO);
    metrics.producerRestarted();
    return startProducer();
  }

  /**
   * A transactional producer, ready; null if the worker was stopped while Kafka was unreachable.
   * Initializing fences older producers with the same transactional id and settles what they left
   * open, so the committed offsets read after it are final.
   */
  private Producer<byte[], byte[]> startProducer() {
    Backoff backoff = new Backoff();
    while (running) {
      Producer<byte[], byte[]> producer =
          new KafkaProducer<>(
              settings.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
      try {
        producer.initTransactions();
        return producer;
      } catch (RetriableException e) {
        closeQuietly(producer, Duration.ZERO);
        LOG.warn("Cannot start producer {} yet: {}", settings.transactionalId(), e.toString());
        backoff.pause();
      } catch (RuntimeException e) {
        closeQuietly(producer, Duration.ZERO);
        throw e;
      }
    }
    return null;
  }

  private void closeClients(Producer<byte[], byte[]> producer) {
    if (producer != null) {
      closeQuietly(producer, timeLeft());
    }
    Consumer<byte[], byte[]> polling = consumer;
    if (polling != null) {
      try {
        polling.close(CloseOptions.timeout(timeLeft()));
      } catch (RuntimeException e) {
        LOG.warn("Closing the consumer of {} failed: {}", settings.transactionalId(), e.toString());
      }
      consumer = null;
    }
  }

  private Duration timeLeft() {
    Instant deadline = closeDeadline;
    if (deadline == null) {
      return settings.closeTimeout();
    }
    Duration left = Duration.between(Instant.now(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static void abortQuietly(Producer<byte[], byte[]> producer) {
    try {
      producer.abortTransaction();
    } catch (RuntimeException ignored) {
      // The broker aborts it anyway once the transaction times out.
    }
  }

  private void closeQuietly(Producer<byte[], byte[]> producer, Duration timeout) {
    try {
      producer.close(timeout);
    } catch (RuntimeException e) {
      LOG.warn("Closing producer {} failed: {}", settings.transactionalId(), e.toString());
    }
  }

  /** Waits between tries, longer each time, and not at all once the worker is stopping. */
  private final class Backoff {

    private Duration next = FIRST_BACKOFF;

    void pause() {
      long until = System.nanoTime() + next.toNanos();
      try {
        while (running && System.nanoTime() < until) {
          Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      next = next.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next.multipliedBy(2);
    }

    void reset() {
      next = FIRST_BACKOFF;
    }
  }
}
