package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sagastream.engine.RetryPolicy;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedStoreMemoryTest {

  @TempDir Path stateDir;

  @Test
  void everyStoreOfTheNodeDrawsOnOneCacheOfTheBoundedSize() {
    // given the node's stores opened with the bound, as a node opens them
    try (SagaTopologyFixture saga =
        SagaTopologyFixture.withOrderFulfilment(stateDir, RetryPolicy.DEFAULT, null)) {
      // when a saga runs, so that every store is written
      saga.start("order-1", saga.order("order-1", 1999));

      // then RocksDB reports the bound as each store's block cache, not its default of 50 MB
      Map<String, Double> capacities = new TreeMap<>();
      saga.metrics()
          .forEach(
              (name, metric) -> {
                if (name.name().equals("block-cache-capacity")) {
                  capacities.put(
                      name.tags().get("rocksdb-state-id"),
                      ((Number) metric.metricValue()).doubleValue());
                }
              });
      assertThat(capacities)
          .containsKeys(
              TopologyNames.INSTANCE_STORE, TopologyNames.TIMER_STORE, TopologyNames.INBOX_STORE);
      assertThat(capacities.values())
          .allSatisfy(
              capacity ->
                  assertThat(capacity).isEqualTo((double) SagaTopologyFixture.STORE_MEMORY));
    }
  }

  @Test
  void aBoundBelowTheMinimumOrNotANumberIsRefusedNamingTheSetting() {
    assertThatThrownBy(
            () -> BoundedStoreMemory.boundIn(Map.of(BoundedStoreMemory.BYTES_CONFIG, 1024L)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SAGASTREAM_STORE_MEMORY")
        .hasMessageContaining("at least");
    assertThatThrownBy(
            () -> BoundedStoreMemory.boundIn(Map.of(BoundedStoreMemory.BYTES_CONFIG, "lots")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not lots");
  }
}
