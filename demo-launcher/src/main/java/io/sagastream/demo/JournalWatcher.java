package io.sagastream.demo;

import io.sagastream.contracts.v1.SagaCompensated;
import io.sagastream.contracts.v1.SagaCompleted;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaFailed;
import io.sagastream.contracts.v1.SagaStarted;
import io.sagastream.contracts.v1.StepCommandSent;
import io.sagastream.contracts.v1.StepRetryScheduled;
import io.sagastream.contracts.v1.StepTimedOut;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.testing.TopicTail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the journal (the events topic) from its start, read_committed, on a thread of its own, and
 * tallies the sagas of one definition: the figures of the progress line and the summary come from
 * what the orchestrator recorded, not from what the load generator believes.
 */
final class JournalWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JournalWatcher.class);

  private final String topic;
  private final String definition;
  private final SchemaRegistry registry;
  private final AvroDeserializer<SagaEvent> deserializer;
  private TopicTail tail;

  private final Map<String, Instant> startedAt = new HashMap<>();
  private final Map<String, Ended> ended = new HashMap<>();
  private long commands;
  private long retries;
  private long timeouts;
  private Instant firstStart;
  private Instant lastEvent;

  private enum Outcome {
    COMPLETED,
    COMPENSATED,
    FAILED
  }

  private record Ended(Outcome outcome, Instant at) {}

  private JournalWatcher(String registryUrl, String topic, String definition) {
    this.topic = topic;
    this.definition = definition;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.of(registryUrl));
    this.deserializer = AvroDeserializer.specific(registry, SagaEvent.class);
  }

  /** Starts reading {@code topic} from its beginning, counting the sagas of {@code definition}. */
  static JournalWatcher start(
      String bootstrapServers,
      Map<String, Object> kafkaClient,
      String registryUrl,
      String topic,
      String definition) {
    JournalWatcher watcher = new JournalWatcher(registryUrl, topic, definition);
    Map<String, Object> config = new HashMap<>(kafkaClient);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    watcher.tail =
        TopicTail.start(
            "sagastream-demo-journal",
            config,
            List.of(topic),
            (record, seenAtNanos) -> watcher.read(record),
            e -> LOG.error("The journal reader stopped; the demo's figures stop here", e));
    return watcher;
  }

  /** How many sagas have ended so far: cheaper than a whole {@link #tally()}. */
  synchronized int ended() {
    return ended.size();
  }

  /** The tally as of now. */
  synchronized JournalTally tally() {
    int completed = 0;
    int compensated = 0;
    int failed = 0;
    List<Duration> latencies = new ArrayList<>(ended.size());
    for (Map.Entry<String, Ended> entry : ended.entrySet()) {
      switch (entry.getValue().outcome()) {
        case COMPLETED -> completed++;
        case COMPENSATED -> compensated++;
        case FAILED -> failed++;
      }
      Instant start = startedAt.get(entry.getKey());
      if (start != null) {
        latencies.add(Duration.between(start, entry.getValue().at()));
      }
    }
    latencies.sort(null);
    return new JournalTally(
        startedAt.size(),
        completed,
        compensated,
        failed,
        commands,
        retries,
        timeouts,
        List.copyOf(latencies),
        Optional.ofNullable(firstStart),
        Optional.ofNullable(lastEvent));
  }

  private void read(ConsumerRecord<byte[], byte[]> record) {
    count(deserializer.deserialize(topic, record.value()));
  }

  private synchronized void count(SagaEvent event) {
    if (event == null || !event.getDefinitionName().equals(definition)) {
      return;
    }
    String key = event.getSagaKey();
    Instant at = event.getOccurredAt();
    lastEvent = lastEvent == null || at.isAfter(lastEvent) ? at : lastEvent;
    Object what = event.getEvent();
    if (what instanceof SagaStarted) {
      startedAt.put(key, at);
      firstStart = firstStart == null || at.isBefore(firstStart) ? at : firstStart;
    } else if (what instanceof StepCommandSent) {
      commands++;
    } else if (what instanceof StepRetryScheduled) {
      retries++;
    } else if (what instanceof StepTimedOut) {
      timeouts++;
    } else if (what instanceof SagaCompleted) {
      ended.put(key, new Ended(Outcome.COMPLETED, at));
    } else if (what instanceof SagaCompensated) {
      ended.put(key, new Ended(Outcome.COMPENSATED, at));
    } else if (what instanceof SagaFailed) {
      ended.put(key, new Ended(Outcome.FAILED, at));
    }
  }

  @Override
  public void close() {
    tail.close();
    registry.close();
  }
}
