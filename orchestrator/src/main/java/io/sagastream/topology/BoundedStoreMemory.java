package io.sagastream.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Gives every RocksDB store in the JVM one block cache, and charges their memtables to it, so that
 * the off-heap memory of all stores together stays within {@link #BYTES_CONFIG}. By Kafka Streams'
 * defaults each store has a cache and memtables of its own (about 100 MB once busy), so a node's
 * native memory grew with its tasks (three stores each, standbys included) past what its pod had
 * beside the heap, and the kernel killed it.
 *
 * <p>The bound is per JVM, not per node: nodes that share a JVM (tests, the benchmark) and name the
 * same bound share the one cache.
 */
public final class BoundedStoreMemory implements RocksDBConfigSetter {

  /** The bound in bytes, a Kafka Streams setting that only this class reads. */
  public static final String BYTES_CONFIG = "sagastream.store.memory.bytes";

  /** The bound unless the settings say: 256 MiB, beside the heap of a 2 GiB pod. */
  public static final long DEFAULT_BYTES = 256L * 1024 * 1024;

  /** The smallest bound accepted: below it memtables would flush on nearly every commit. */
  public static final long MINIMUM_BYTES = 16L * 1024 * 1024;

  private static final String SETTING = "sagastream.store-memory (SAGASTREAM_STORE_MEMORY)";

  // Index and filter blocks are read for every lookup: they are cached with high priority, and a
  // tenth of the cache holds such blocks ahead of data blocks.
  private static final double HIGH_PRIORITY_SHARE = 0.1;
  // Memtables take at most a third of the bound; the rest caches blocks.
  private static final int MEMTABLE_SHARE_DIVISOR = 3;

  private static final Map<Long, SharedMemory> SHARED = new ConcurrentHashMap<>();

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    SharedMemory memory = SHARED.computeIfAbsent(boundIn(configs), SharedMemory::new);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(memory.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(memory.writeBuffers());
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write buffer manager outlive any one store: other stores still use them.
  }

  /** The settings that bound every store's memory to {@code bytes} together. */
  public static Map<String, Object> settings(long bytes) {
    return Map.of(
        StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
        BoundedStoreMemory.class.getName(),
        BYTES_CONFIG,
        bytes);
  }

  /**
   * The bound the settings name, checked: a node refuses to start with a bad one rather than fail
   * each stream thread as its stores open.
   */
  public static long boundIn(Map<?, ?> configs) {
    Object value = configs.get(BYTES_CONFIG);
    long bytes;
    try {
      bytes =
          value instanceof Number number
              ? number.longValue()
              : Long.parseLong(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(SETTING + " must be a number of bytes, not " + value);
    }
    if (bytes < MINIMUM_BYTES) {
      throw new ConfigException(
          SETTING + " must be at least " + MINIMUM_BYTES + " bytes (16MB), not " + bytes);
    }
    return bytes;
  }

  private record SharedMemory(Cache cache, WriteBufferManager writeBuffers) {
    SharedMemory(long bytes) {
      this(new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE), bytes);
    }

    private SharedMemory(LRUCache cache, long bytes) {
      this(cache, new WriteBufferManager(bytes / MEMTABLE_SHARE_DIVISOR, cache));
    }
  }
}
