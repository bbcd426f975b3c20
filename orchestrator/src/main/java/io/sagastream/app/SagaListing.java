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
   * A page: the summaries, the instances in its range that this node could not read (key,
   * definition and reason): one of them must not hide the rest, the partitions whose instances it
   * lists, and, when instances past it may remain, the store key up to which it is complete (its
   * last entry, or the last instance looked at when a scan ran out of its budget first).
   */
  record Page(
      List<Map<String, Object>> sagas,
      List<Map<String, Object>> unreadable,
      Set<Integer> partitions,
      Optional<String> completeTo) {

    boolean more() {
      return completeTo.isPresent();
    }
  }

  /**
   * The most instances one page looks at in each partition. A filter that few instances match would
   * otherwise read a whole store of millions for one call: the page comes back with fewer matches,
   * or none, and a cursor from where the scan stopped.
   */
  static final int SCAN_BUDGET = 10_000;

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
    List<Page> pages = new ArrayList<>();
    for (int partition : activePartitions()) {
      pages.add(scan(partition, filter, limit, after));
    }
    return merge(pages, limit);
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
   * any other, rather than every one of them coming back in one answer. Nothing past the point up
   * to which every page is complete is shown: a page that stopped short may have entries before the
   * others' later ones.
   */
  static Page merge(List<Page> pages, int limit) {
    Optional<String> completeTo =
        pages.stream().map(Page::completeTo).flatMap(Optional::stream).min(SagaListing::storeOrder);
    List<Map<String, Object>> entries = new ArrayList<>();
    Set<Map<String, Object>> unreadable =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Set<Integer> partitions = new TreeSet<>();
    for (Page page : pages) {
      entries.addAll(page.sagas());
      entries.addAll(page.unreadable());
      unreadable.addAll(page.unreadable());
      partitions.addAll(page.partitions());
    }
    entries.sort(ORDER);
    completeTo.ifPresent(bound -> entries.removeIf(e -> storeOrder(storeKey(e), bound) > 0));
    List<Map<String, Object>> shown = entries;
    if (entries.size() > limit) {
      shown = entries.subList(0, limit);
      completeTo = Optional.of(storeKey(shown.get(limit - 1)));
    }
    List<Map<String, Object>> sagas = new ArrayList<>();
    List<Map<String, Object>> unread = new ArrayList<>();
    shown.forEach(entry -> (unreadable.contains(entry) ? unread : sagas).add(entry));
    return new Page(sagas, unread, partitions, completeTo);
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

  /** A page of up to {@code limit} matches from one partition. */
  private Page scan(int partition, Filter filter, int limit, Optional<String> after) {
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
      return scan(entries, filter, limit, after, SCAN_BUDGET, Set.of(partition));
    }
  }

  /**
   * A page of up to {@code limit} entries of {@code entries} (in store order), looking at no more
   * than {@code budget} of them: the matches, and those it could not decode. The definition is read
   * from the key, so only the instances of the definition asked for are decoded.
   */
  static Page scan(
      Iterator<KeyValue<String, byte[]>> entries,
      Filter filter,
      int limit,
      Optional<String> after,
      int budget,
      Set<Integer> partitions) {
    List<Map<String, Object>> found = new ArrayList<>();
    List<Map<String, Object>> unreadable = new ArrayList<>();
    int looked = 0;
    String lastLooked = null;
    String lastShown = null;
    while (entries.hasNext()) {
      if (looked == budget) {
        return new Page(found, unreadable, partitions, Optional.of(lastLooked));
      }
      KeyValue<String, byte[]> entry = entries.next();
      if (after.isPresent() && entry.key.equals(after.get())) {
        continue;
      }
      if (filter.keyPrefix().isPresent() && !entry.key.startsWith(filter.keyPrefix().get())) {
        break;
      }
      looked++;
      lastLooked = entry.key;
      if (filter.definition().isPresent()
          && !filter.definition().get().equals(InstanceKeys.definitionOf(entry.key))) {
        continue;
      }
      Map<String, Object> shown;
      try {
        SagaInstance instance = SagaInstances.decode(entry.key, entry.value);
        if (!filter.accepts(instance)) {
          continue;
        }
        shown = summary(instance);
      } catch (UnreadableInstanceException e) {
        shown = unreadable(entry.key, e);
      }
      if (found.size() + unreadable.size() == limit) {
        return new Page(found, unreadable, partitions, Optional.of(lastShown));
      }
      (shown.containsKey("reason") ? unreadable : found).add(shown);
      lastShown = entry.key;
    }
    return new Page(found, unreadable, partitions, Optional.empty());
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
