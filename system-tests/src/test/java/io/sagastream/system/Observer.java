package io.sagastream.system;

import static io.sagastream.testing.TopicIo.header;

import io.sagastream.contracts.DeadLetterHeaders;
import io.sagastream.contracts.SagaHeaders;
import io.sagastream.contracts.v1.SagaCompensated;
import io.sagastream.contracts.v1.SagaCompleted;
import io.sagastream.contracts.v1.SagaEvent;
import io.sagastream.contracts.v1.SagaFailed;
import io.sagastream.contracts.v1.StepCommandSent;
import io.sagastream.registry.RegistryClientConfig;
import io.sagastream.registry.RestSchemaRegistry;
import io.sagastream.registry.SchemaRegistry;
import io.sagastream.registry.serde.AvroDeserializer;
import io.sagastream.testing.TopicTail;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What an outsider sees of the system, read {@code read_committed} from the start of every topic on
 * a thread of its own, as participants and journal readers see it: the journal by saga key, every
 * command that reached the participants' topics (with its command id, partition and when it was
 * seen), and every dead letter. Saga keys start with their scenario's letter ({@code
 * a-order-00001}), so one observer serves every scenario.
 */
final class Observer implements AutoCloseable {

  /** A command as a participant received it. */
  record Command(String key, String commandId, String topic, int partition, long seenAtNanos) {}

  /** A dead letter with its reason header and, for the test's own poison, its poison id. */
  record DeadLetter(
      String key, String reason, String sourceTopic, String poisonId, long seenAtNanos) {}

  /** Header the test puts on its poison records; dead letters keep the original headers. */
  static final String POISON_HEADER = "system-test-poison";

  private final String eventsTopic;
  private final String deadLettersTopic;
  private final SchemaRegistry registry;
  private final AvroDeserializer<SagaEvent> journalReader;
  private TopicTail tail;

  private final Map<String, List<SagaEvent>> journal = new HashMap<>();
  private final Map<String, Long> endedAt = new HashMap<>();
  private final Map<String, Integer> endedByScenario = new HashMap<>();
  private final List<Command> commands = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private Observer(String registryUrl, String eventsTopic, String deadLettersTopic) {
    this.eventsTopic = eventsTopic;
    this.deadLettersTopic = deadLettersTopic;
    this.registry = new RestSchemaRegistry(RegistryClientConfig.of(registryUrl));
    this.journalReader = AvroDeserializer.specific(registry, SagaEvent.class);
  }

  /**
   * Starts reading; the observer reads the registry directly, not through the relay the system
   * uses, since it is not part of the system.
   */
  static Observer start(
      String bootstrapServers,
      String registryUrl,
      Collection<String> commandTopics,
      String eventsTopic,
      String deadLettersTopic) {
    Observer observer = new Observer(registryUrl, eventsTopic, deadLettersTopic);
    List<String> topics = new ArrayList<>(commandTopics);
    topics.add(eventsTopic);
    topics.add(deadLettersTopic);
    observer.tail =
        TopicTail.start(
            "system-test-observer",
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
            topics,
            observer::read,
            observer::stopped);
    return observer;
  }

  /** How many sagas of {@code scenario} have a terminal event. */
  synchronized int ended(String scenario) {
    return endedByScenario.getOrDefault(scenario, 0);
  }

  synchronized boolean hasEnded(String key) {
    return endedAt.containsKey(key);
  }

  /** When the last of {@code keys} was seen to end (nanoTime), or empty if one has not. */
  synchronized OptionalLong lastEnded(Collection<String> keys) {
    long last = Long.MIN_VALUE;
    for (String key : keys) {
      Long at = endedAt.get(key);
      if (at == null) {
        return OptionalLong.empty();
      }
      last = Math.max(last, at);
    }
    return OptionalLong.of(last);
  }

  /** The journal of each saga key that starts with {@code prefix}, each in the order read. */
  synchronized Map<String, List<SagaEvent>> journal(String prefix) {
    Map<String, List<SagaEvent>> copy = new HashMap<>();
    journal.forEach(
        (key, events) -> {
          if (key.startsWith(prefix)) {
            copy.put(key, List.copyOf(events));
          }
        });
    return copy;
  }

  synchronized List<SagaEvent> journalOf(String key) {
    return List.copyOf(journal.getOrDefault(key, List.of()));
  }

  /** Commands for saga keys that start with {@code prefix}, in the order seen. */
  synchronized List<Command> commands(String prefix) {
    return commands.stream().filter(c -> c.key().startsWith(prefix)).toList();
  }

  /**
   * Waits until every command the journal says was sent for keys with {@code prefix} has been seen
   * on the participants' topics: both are committed in one transaction, but read from different
   * partitions, so one may be read a moment before the other. Returns when they match or {@code
   * within} has passed; the verdict reports what is still missing.
   */
  void awaitCommandsOf(String prefix, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      synchronized (this) {
        Set<String> seen = new HashSet<>();
        commands.stream()
            .filter(c -> c.key().startsWith(prefix))
            .forEach(c -> seen.add(c.commandId()));
        boolean all =
            journal.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .flatMap(e -> e.getValue().stream())
                .map(SagaEvent::getEvent)
                .filter(e -> e instanceof StepCommandSent)
                .allMatch(e -> seen.contains(((StepCommandSent) e).getCommandId()));
        if (all) {
          return;
        }
      }
      NodeProcess.sleep(100);
    }
  }

  /** When each command on one of {@code partitions} was seen, in order, any saga key. */
  synchronized List<Long> commandsSeen(Set<Integer> partitions) {
    return commands.stream()
        .filter(c -> partitions.contains(c.partition()))
        .map(Command::seenAtNanos)
        .sorted()
        .toList();
  }

  synchronized int partitionsSeen() {
    Set<Integer> partitions = new TreeSet<>();
    commands.forEach(c -> partitions.add(c.partition()));
    return partitions.size();
  }

  synchronized List<DeadLetter> deadLetters() {
    return List.copyOf(deadLetters);
  }

  /** Records the observer could not read: a journal event it cannot decode, say. */
  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * The longest pause in committed command traffic on {@code partitions} between {@code from} and
   * {@code to} (nanoTime): from {@code from} to the first command after it, or between two
   * commands. With {@code from} a kill, it is how long the killed node's partitions stood still as
   * the participants saw it.
   */
  Duration longestPause(Set<Integer> partitions, long from, long to) {
    List<Long> seen = commandsSeen(partitions);
    long longest = 0;
    long previous = from;
    boolean resumed = false;
    for (long at : seen) {
      if (at <= from) {
        continue;
      }
      longest = Math.max(longest, at - previous);
      previous = at;
      resumed = true;
      if (at >= to) {
        break;
      }
    }
    if (!resumed) {
      longest = Math.max(longest, System.nanoTime() - from);
    }
    return Duration.ofNanos(longest);
  }

  private synchronized void stopped(RuntimeException e) {
    problems.add("the observer stopped: " + e);
  }

  private synchronized void read(ConsumerRecord<byte[], byte[]> record, long now) {
    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    if (record.topic().equals(eventsTopic)) {
      SagaEvent event;
      try {
        event = journalReader.deserialize(record.topic(), record.value());
      } catch (RuntimeException e) {
        problems.add("unreadable journal event at " + record.partition() + "@" + record.offset());
        return;
      }
      journal.computeIfAbsent(event.getSagaKey(), k -> new ArrayList<>()).add(event);
      Object what = event.getEvent();
      boolean terminal =
          what instanceof SagaCompleted
              || what instanceof SagaCompensated
              || what instanceof SagaFailed;
      if (terminal && endedAt.putIfAbsent(event.getSagaKey(), now) == null) {
        endedByScenario.merge(scenarioOf(event.getSagaKey()), 1, Integer::sum);
      }
    } else if (record.topic().equals(deadLettersTopic)) {
      deadLetters.add(
          new DeadLetter(
              key,
              header(record.headers(), DeadLetterHeaders.REASON),
              header(record.headers(), DeadLetterHeaders.SOURCE_TOPIC),
              header(record.headers(), POISON_HEADER),
              now));
    } else {
      commands.add(
          new Command(
              key,
              header(record.headers(), SagaHeaders.COMMAND_ID),
              record.topic(),
              record.partition(),
              now));
    }
  }

  /** The scenario of a saga key: what comes before its first dash. */
  static String scenarioOf(String key) {
    int dash = key.indexOf('-');
    return dash < 0 ? key : key.substring(0, dash);
  }

  @Override
  public void close() {
    tail.close();
    registry.close();
  }
}
