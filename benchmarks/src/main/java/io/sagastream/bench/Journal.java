package io.sagastream.bench;

import io.sagastream.contracts.SagaHeaders;
import io.sagastream.contracts.v1.MessageAwaited;
import io.sagastream.contracts.v1.ReceiveTimedOut;
import io.sagastream.contracts.v1.SagaCompensated;
import io.sagastream.contracts.v1.SagaCompleted;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaFailed;
import io.sagastream.contracts.v1.StepCommandSent;
import io.sagastream.contracts.v1.StepReplyReceived;
import io.sagastream.contracts.v1.StepRetryScheduled;
import io.sagastream.contracts.v1.StepTimedOut;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.testing.TopicTail;
import io.sagastream.topology.SagaTopics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.LoggerFactory;

/**
 * Reads the journal (the events topic, read_committed) from its start and keeps what the figures
 * need, each with the wall-clock time the orchestrator recorded: when each command was sent, each
 * step's round trip (command sent to reply received, by command id), each saga's end and its
 * latency from the load generator's start request, and each receive timer's lateness (due time to
 * {@code ReceiveTimedOut}). It also reads the replies topic, whose records carry the time the
 * participant sent them, to split each round trip in two: the way out (the node's commit, the
 * participant's fetch and work) and the way back (the participant's commit, the node's fetch and
 * its queue).
 */
final class Journal implements AutoCloseable {

  /** The reader thread's name. */
  static final String THREAD = "bench-journal";

  private final String topic;
  private final String replies;
  private final SchemaRegistry registry;
  private final AvroDeserializer<SagaEvent> deserializer;
  private final ToLongFunction<String> requestedAt;
  private final TopicTail tail;
  // Turns the reader's monotonic poll times into the wall-clock times the records carry.
  private final long epochMillisAtNanoZero =
      System.currentTimeMillis() - System.nanoTime() / 1_000_000;

  private final AtomicInteger ended = new AtomicInteger();
  private final Map<String, Long> sentAt = new HashMap<>();
  private final Map<String, Long> timerDue = new HashMap<>();
  private final Samples sends = new Samples();
  private final Samples eventTimes = new Samples();
  private final Samples replyTimes = new Samples();
  private final Samples roundTrips = new Samples();
  private final RoundTripSplit split = new RoundTripSplit();
  private final Samples endTimes = new Samples();
  private final Samples sagaLatencies = new Samples();
  private final Samples firedTimes = new Samples();
  private final Samples lateness = new Samples();
  private long awaited;
  private long timedOut;
  private final Samples retryTimes = new Samples();
  private final Samples stepTimeoutTimes = new Samples();
  private final Samples unsuccessfulTimes = new Samples();
  private long newest;

  /**
   * @param requestedAt when the load generator asked to start the saga on a key (epoch millis), or
   *     a negative number if it did not
   */
  Journal(
      String bootstrap, String registryUrl, SagaTopics topics, ToLongFunction<String> requestedAt) {
    this.topic = topics.events();
    this.replies = topics.replies();
    this.requestedAt = requestedAt;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.of(registryUrl));
    this.deserializer = AvroDeserializer.specific(registry, SagaEvent.class);
    this.tail =
        TopicTail.start(
            THREAD,
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                2000),
            List.of(topic, replies),
            (record, seenAtNanos) -> read(record, seenAtNanos),
            e -> LoggerFactory.getLogger(Journal.class).error("The journal reader stopped", e));
  }

  /** Sagas that ended so far (completed, compensated or failed). */
  int ended() {
    return ended.get();
  }

  /** What the journal says about the events that happened from {@code from} to {@code to}. */
  synchronized Window window(long from, long to) {
    return new Window(
        to - from,
        count(sends, from, to),
        count(eventTimes, from, to),
        count(endTimes, from, to),
        roundTrips.at(replyTimes, from, to),
        replyTimes.at(replyTimes, from, to),
        split.outward(from, to),
        split.back(from, to),
        split.untilVisible(from, to),
        split.atTheNode(from, to),
        sagaLatencies.at(endTimes, from, to),
        count(retryTimes, from, to),
        count(stepTimeoutTimes, from, to),
        count(unsuccessfulTimes, from, to));
  }

  /** Timer lateness of the receive timers that fired, and how many were pending at most. */
  synchronized TimerFigures timers() {
    return new TimerFigures(awaited, timedOut, lateness.at(firedTimes, 0, Long.MAX_VALUE));
  }

  synchronized long awaited() {
    return awaited;
  }

  synchronized long timedOut() {
    return timedOut;
  }

  /** The newest event time the reader has seen (epoch millis). */
  synchronized long newest() {
    return newest;
  }

  record Window(
      long millis,
      long commands,
      long events,
      long sagas,
      Samples roundTrips,
      Samples roundTripEnds,
      Samples outward,
      Samples back,
      Samples backUntilVisible,
      Samples backAtTheNode,
      Samples sagaLatencies,
      long retries,
      long stepTimeouts,
      long unsuccessful) {

    double commandsPerSecond() {
      return commands * 1000.0 / millis;
    }

    /** Journal events written per command sent: the orchestrator's own output beside the step. */
    double eventsPerStep() {
      return commands == 0 ? Double.NaN : (double) events / commands;
    }

    double sagasPerSecond() {
      return sagas * 1000.0 / millis;
    }
  }

  record TimerFigures(long awaited, long fired, Samples lateness) {}

  private static long count(Samples times, long from, long to) {
    long n = 0;
    for (int i = 0; i < times.size(); i++) {
      long t = times.get(i);
      if (t >= from && t < to) {
        n++;
      }
    }
    return n;
  }

  private void read(ConsumerRecord<byte[], byte[]> record, long seenAtNanos) {
    if (record.topic().equals(replies)) {
      Header commandId = record.headers().lastHeader(SagaHeaders.COMMAND_ID);
      if (commandId != null) {
        replied(
            new String(commandId.value(), StandardCharsets.UTF_8),
            record.timestamp(),
            epochMillisAtNanoZero + seenAtNanos / 1_000_000);
      }
      return;
    }
    SagaEvent event = deserializer.deserialize(topic, record.value());
    if (event != null) {
      count(event);
    }
  }

  private synchronized void count(SagaEvent event) {
    long at = event.getOccurredAt().toEpochMilli();
    newest = Math.max(newest, at);
    eventTimes.add(at);
    Object what = event.getEvent();
    if (what instanceof StepCommandSent sent) {
      sends.add(at);
      sentAt.put(sent.getCommandId(), at);
    } else if (what instanceof StepReplyReceived reply) {
      Long sent = sentAt.remove(reply.getCommandId());
      if (sent != null) {
        replyTimes.add(at);
        roundTrips.add(at - sent);
        split.received(reply.getCommandId(), sent, at);
      }
    } else if (what instanceof StepRetryScheduled) {
      retryTimes.add(at);
    } else if (what instanceof StepTimedOut) {
      stepTimeoutTimes.add(at);
    } else if (what instanceof MessageAwaited awaiting && awaiting.getTimeoutAt() != null) {
      awaited++;
      timerDue.put(event.getSagaId(), awaiting.getTimeoutAt().toEpochMilli());
    } else if (what instanceof ReceiveTimedOut) {
      timedOut++;
      Long due = timerDue.remove(event.getSagaId());
      if (due != null) {
        firedTimes.add(at);
        lateness.add(at - due);
      }
    } else if (what instanceof SagaCompleted
        || what instanceof SagaCompensated
        || what instanceof SagaFailed) {
      if (!(what instanceof SagaCompleted)) {
        unsuccessfulTimes.add(at);
      }
      ended.incrementAndGet();
      endTimes.add(at);
      long requested = requestedAt.applyAsLong(event.getSagaKey());
      sagaLatencies.add(requested < 0 ? -1 : at - requested);
    }
  }

  private synchronized void replied(String commandId, long at, long seen) {
    split.replied(commandId, at, seen);
  }

  @Override
  public void close() {
    tail.close();
    registry.close();
  }
}
