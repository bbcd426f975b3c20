package io.sagastream.app;

import io.sagastream.engine.SagaInstance;
import io.sagastream.engine.SagaStatus;
import io.sagastream.topology.InstanceKeys;
import io.sagastream.topology.SagaTopics;
import io.sagastream.topology.TopologyNames;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Pages of saga instances in instance-store key order (saga key, then definition), from the
 * partitions this node runs as active tasks. Each node lists only its active partitions, so that
 * the pages of all nodes merge without duplicates, and a cursor (the last key of a page) continues
 * the same order on every node.
 */
@Singleton
final class SagaListing {

  /**
   * Which instances a page shows: each given condition must hold. {@code startedAfter} and {@code
   * startedBefore} bound the start time (after inclusive, before exclusive).
   */
  record Filter(
      Optional<SagaStatus> status,
      Optional<String> definition,
      Optional<String> keyPrefix,
      Optional<Instant> startedAfter,
      Optional<Instant> startedBefore) {

    boolean accepts(SagaInstance instance) {
      return status.map(s -> s == instance.status()).orElse(true)
          && definition.map(d -> d.equals(instance.definitionName())).orElse(true)
          && keyPrefix.map(p -> instance.sagaKey().startsWith(p)).orElse(true)
          && startedAfter.map(t -> !instance.startedAt().isBefore(t)).orElse(true)
          && startedBefore.map(t -> instance.startedAt().isBefore(t)).orElse(true);
    }
  }

  /**
   * A page: the summaries, whether instances past them remain, the instances in its range that this
   * node could not read (key, definition and reason): one of them must not hide the rest, and the
   * partitions whose instances it lists.
   */
  record Page(
      List<Map<String, Object>> sagas,
      boolean more,
      List<Map<String, Object>> unreadable,
      Set<Integer> partitions) {}

  /** Instance-store order of summaries. */
  static final Comparator<Map<String, Object>> ORDER =
      (a, b) -> storeOrder(storeKey(a), storeKey(b));

  /** Instance-store order: the UTF-8 bytes of the store key, as RocksDB orders them. */
  private static int storeOrder(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private final KafkaStreams streams;
  private final SagaTopics topics;

  SagaListing(KafkaStreams streams, SagaTopics topics) {
    this.streams = streams;
    this.topics = topics;
  }

  /** Up to {@code limit} instances after {@code after} (a store key; empty: from the start). */
  Page local(Filter filter, int limit, Optional<String> after) {
    List<Map<String, Object>> found = new ArrayList<>();
    List<Map<String, Object>> unreadable = new ArrayList<>();
    boolean more = false;
    TreeSet<Integer> partitions = activePartitions();
    for (int partition : partitions) {
      more |= scan(partition, filter, limit, after, found, unreadable);
    }
    return merge(List.of(new Page(found, more, unreadable, partitions)), limit);
  }

  /**
   * The partitions the group runs, as far as this node knows: every node's active and standby
   * tasks, and its own. A partition among them that no page lists is moving between nodes (or its
   * node did not answer), and a page without it is incomplete.
   */
  Set<Integer> knownPartitions() {
    Set<Integer> known = new TreeSet<>(activePartitions());
    for (StreamsMetadata client : streams.metadataForAllStreamsClients()) {
      for (Set<TopicPartition> held :
          List.of(client.topicPartitions(), client.standbyTopicPartitions())) {
        held.stream()
            .filter(p -> p.topic().equals(topics.requests()))
            .forEach(p -> known.add(p.partition()));
      }
    }
    return known;
  }

  /**
   * The first {@code limit} entries of several pages in store order, summaries and unreadable
   * instances alike: a store whose instances this node cannot read (a rolling downgrade) pages as
   * any other, rather than every one of them coming back in one answer.
   */
  static Page merge(List<Page> pages, int limit) {
    List<Map<String, Object>> entries = new ArrayList<>();
    Set<Map<String, Object>> unreadable =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Set<Integer> partitions = new TreeSet<>();
    boolean more = false;
    for (Page page : pages) {
      entries.addAll(page.sagas());
      entries.addAll(page.unreadable());
      unreadable.addAll(page.unreadable());
      partitions.addAll(page.partitions());
      more |= page.more();
    }
    entries.sort(ORDER);
    if (entries.size() > limit) {
      entries = entries.subList(0, limit);
      more = true;
    }
    List<Map<String, Object>> sagas = new ArrayList<>();
    List<Map<String, Object>> unread = new ArrayList<>();
    entries.forEach(entry -> (unreadable.contains(entry) ? unread : sagas).add(entry));
    return new Page(sagas, more, unread, partitions);
  }

  /** The store key of the page's last entry, summary or unreadable: where the next page starts. */
  static Optional<String> lastKey(Page page) {
    return java.util.stream.Stream.concat(page.sagas().stream(), page.unreadable().stream())
        .max(ORDER)
        .map(SagaListing::storeKey);
  }

  static String storeKey(Map<String, Object> summary) {
    return InstanceKeys.key((String) summary.get("key"), (String) summary.get("definition"));
  }

  static Map<String, Object> summary(SagaInstance instance) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("sagaId", instance.sagaId());
    summary.put("key", instance.sagaKey());
    summary.put("definition", instance.definitionName());
    summary.put("version", instance.definitionVersion());
    summary.put("status", instance.status().name());
    summary.put("incident", instance.incident() != null);
    summary.put("startedAt", instance.startedAt().toString());
    summary.put("updatedAt", instance.updatedAt().toString());
    return summary;
  }

  /** Adds up to {@code limit} matches of one partition; true when it stopped with more left. */
  private boolean scan(
      int partition,
      Filter filter,
      int limit,
      Optional<String> after,
      List<Map<String, Object>> found,
      List<Map<String, Object>> unreadable) {
    ReadOnlyKeyValueStore<String, byte[]> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                    TopologyNames.INSTANCE_STORE,
                    QueryableStoreTypes.<String, byte[]>keyValueStore())
                .withPartition(partition));
    // Keys are in order, so a key prefix bounds the scan: it starts at the prefix (or the cursor,
    // if later) and ends at the first key without it.
    Optional<String> from = later(after, filter.keyPrefix());
    try (KeyValueIterator<String, byte[]> entries =
        from.isPresent() ? store.range(from.get(), null) : store.all()) {
      return scan(entries, filter, limit, after, found, unreadable);
    }
  }

  /**
   * Adds up to {@code limit} entries of {@code entries} (in store order): the matches to {@code
   * found}, and those it could not decode to {@code unreadable}; true when it stopped with more
   * left. The definition is read from the key, so only the instances of the definition asked for
   * are decoded.
   */
  static boolean scan(
      Iterator<KeyValue<String, byte[]>> entries,
      Filter filter,
      int limit,
      Optional<String> after,
      List<Map<String, Object>> found,
      List<Map<String, Object>> unreadable) {
    int matches = 0;
    while (entries.hasNext()) {
      KeyValue<String, byte[]> entry = entries.next();
      if (after.isPresent() && entry.key.equals(after.get())) {
        continue;
      }
      if (filter.keyPrefix().isPresent() && !entry.key.startsWith(filter.keyPrefix().get())) {
        break;
      }
      if (filter.definition().isPresent()
          && !filter.definition().get().equals(InstanceKeys.definitionOf(entry.key))) {
        continue;
      }
      SagaInstance instance;
      try {
        instance = SagaInstances.decode(entry.key, entry.value);
      } catch (UnreadableInstanceException e) {
        if (matches == limit) {
          return true;
        }
        unreadable.add(unreadable(entry.key, e));
        matches++;
        continue;
      }
      if (!filter.accepts(instance)) {
        continue;
      }
      if (matches == limit) {
        return true;
      }
      found.add(summary(instance));
      matches++;
    }
    return false;
  }

  private static Map<String, Object> unreadable(String storeKey, UnreadableInstanceException e) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("key", InstanceKeys.sagaKeyOf(storeKey));
    entry.put("definition", InstanceKeys.definitionOf(storeKey));
    entry.put("reason", e.getCause().toString());
    return entry;
  }

  /** The later of two store keys in store order, either of which may be absent. */
  private static Optional<String> later(Optional<String> a, Optional<String> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return storeOrder(a.get(), b.get()) >= 0 ? a : b;
  }

  private TreeSet<Integer> activePartitions() {
    TreeSet<Integer> partitions = new TreeSet<>();
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      thread
          .activeTasks()
          .forEach(
              task ->
                  task.topicPartitions().stream()
                      .filter(p -> p.topic().equals(topics.requests()))
                      .map(TopicPartition::partition)
                      .forEach(partitions::add));
    }
    return partitions;
  }
}
