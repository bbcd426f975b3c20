package io.sagastream.app;

import io.sagastream.codec.InstanceCodec;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
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

  /** A page: the summaries, and whether instances past them remain. */
  record Page(List<Map<String, Object>> sagas, boolean more) {}

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
    boolean more = false;
    for (int partition : activePartitions()) {
      more |= scan(partition, filter, limit, after, found);
    }
    return merge(List.of(new Page(found, more)), limit);
  }

  /** The first {@code limit} summaries of several pages, in store order. */
  static Page merge(List<Page> pages, int limit) {
    List<Map<String, Object>> all = new ArrayList<>();
    boolean more = false;
    for (Page page : pages) {
      all.addAll(page.sagas());
      more |= page.more();
    }
    all.sort(ORDER);
    if (all.size() > limit) {
      return new Page(List.copyOf(all.subList(0, limit)), true);
    }
    return new Page(all, more);
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
      List<Map<String, Object>> found) {
    ReadOnlyKeyValueStore<String, byte[]> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                    TopologyNames.INSTANCE_STORE,
                    QueryableStoreTypes.<String, byte[]>keyValueStore())
                .withPartition(partition));
    int matches = 0;
    // Keys are in order, so a key prefix bounds the scan: it starts at the prefix (or the cursor,
    // if later) and ends at the first key without it. The definition is read from the key, so
    // only the instances of the definition asked for are decoded.
    Optional<String> from = later(after, filter.keyPrefix());
    try (KeyValueIterator<String, byte[]> entries =
        from.isPresent() ? store.range(from.get(), null) : store.all()) {
      while (entries.hasNext()) {
        var entry = entries.next();
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
        SagaInstance instance = InstanceCodec.decode(entry.value);
        if (!filter.accepts(instance)) {
          continue;
        }
        if (matches == limit) {
          return true;
        }
        found.add(summary(instance));
        matches++;
      }
    }
    return false;
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
