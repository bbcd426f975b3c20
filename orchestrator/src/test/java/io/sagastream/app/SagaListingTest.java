package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.codec.InstanceCodec;
import io.sagastream.engine.EngineCommand.CancelSaga;
import io.sagastream.engine.EngineCommand.StartSaga;
import io.sagastream.engine.RetryPolicy;
import io.sagastream.engine.SagaData;
import io.sagastream.engine.SagaDefinition;
import io.sagastream.engine.SagaEngine;
import io.sagastream.engine.SagaInstance;
import io.sagastream.engine.StepDefinition;
import io.sagastream.topology.InstanceKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

class SagaListingTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final SagaDefinition DEFINITION =
      new SagaDefinition(
          "order-fulfilment",
          1,
          Optional.empty(),
          List.of(
              new StepDefinition(
                  "reserve",
                  "reserve.commands",
                  Optional.empty(),
                  Duration.ofSeconds(30),
                  RetryPolicy.DEFAULT,
                  RetryPolicy.DEFAULT)));
  private static final SagaListing.Filter ANY =
      new SagaListing.Filter(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  private static KeyValue<String, byte[]> stored(String key) {
    return KeyValue.pair(
        InstanceKeys.key(key, DEFINITION.name()), InstanceCodec.encode(started(key)));
  }

  private static SagaInstance started(String key) {
    return SagaEngine.decide(
            DEFINITION,
            null,
            new StartSaga("s-" + key, key, "r-" + key, "ada", SagaData.of(new byte[0])),
            T0)
        .instance();
  }

  private static KeyValue<String, byte[]> damaged(String key) {
    return KeyValue.pair(
        InstanceKeys.key(key, DEFINITION.name()),
        "not an instance".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anInstanceThatCannotBeReadIsNamedAndTheOthersAreStillListed() {
    // given a store whose second instance cannot be decoded
    var entries = List.of(stored("order-1"), damaged("order-2"), stored("order-3")).iterator();

    // when a page of ten is listed
    SagaListing.Page page = scan(entries, ANY, 10, Optional.empty(), SagaListing.SCAN_BUDGET);

    // then the readable ones are listed and the other named with its reason, not a failed call
    assertThat(page.more()).isFalse();
    assertThat(page.sagas()).extracting(s -> s.get("key")).containsExactly("order-1", "order-3");
    assertThat(page.unreadable())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u)
                  .containsEntry("key", "order-2")
                  .containsEntry("definition", DEFINITION.name());
              assertThat((String) u.get("reason")).isNotBlank();
            });
  }

  @Test
  void unreadableInstancesCountTowardsAPageSoAStoreOfThemIsPagedToo() {
    // given a store of three instances this node cannot read
    var entries = List.of(damaged("order-1"), damaged("order-2"), damaged("order-3")).iterator();

    // when a page of two is listed
    SagaListing.Page page =
        SagaListing.merge(
            List.of(scan(entries, ANY, 2, Optional.empty(), SagaListing.SCAN_BUDGET)), 2);

    // then it holds two, says more remain, and the next page starts after the second
    assertThat(page.unreadable())
        .extracting(u -> u.get("key"))
        .containsExactly("order-1", "order-2");
    assertThat(page.more()).isTrue();
    assertThat(page.completeTo()).contains(InstanceKeys.key("order-2", DEFINITION.name()));
  }

  @Test
  void anUnreadableInstancePastAPageIsLeftForThePageThatShowsItsRange() {
    // given two nodes' pages, one with an unreadable instance after the merged page's last key
    Map<String, Object> first = Map.of("key", "order-1", "definition", DEFINITION.name());
    Map<String, Object> second = Map.of("key", "order-2", "definition", DEFINITION.name());
    Map<String, Object> early =
        Map.of("key", "order-0", "definition", DEFINITION.name(), "reason", "x");
    Map<String, Object> late =
        Map.of("key", "order-5", "definition", DEFINITION.name(), "reason", "x");
    var pages =
        List.of(
            new SagaListing.Page(List.of(first), List.of(late), Set.of(0), Optional.empty()),
            new SagaListing.Page(List.of(second), List.of(early), Set.of(1), Optional.empty()));

    // when they are merged into a page of two
    SagaListing.Page merged = SagaListing.merge(pages, 2);

    // then it holds the first two entries in key order, an unreadable one among them, and the
    // rest is left for the next page
    assertThat(merged.sagas()).containsExactly(first);
    assertThat(merged.more()).isTrue();
    assertThat(merged.unreadable()).containsExactly(early);
    assertThat(merged.partitions()).containsExactly(0, 1);
  }

  @Test
  void aScanThatFindsFewMatchesStopsAtItsBudgetAndSaysWhereToGoOn() {
    // given a partition of five instances, of which only the last is a running saga's
    var entries =
        List.of(
                ended("order-1"),
                ended("order-2"),
                ended("order-3"),
                ended("order-4"),
                stored("order-5"))
            .iterator();

    // when running sagas are listed with a budget of three instances
    SagaListing.Page page = scan(entries, RUNNING, 10, Optional.empty(), 3);

    // then the page is empty but not the last: it goes on after the third instance looked at
    assertThat(page.sagas()).isEmpty();
    assertThat(page.completeTo()).contains(InstanceKeys.key("order-3", DEFINITION.name()));
  }

  @Test
  void pagingWithABudgetFindsEveryMatchOnceAcrossPartitionsThatStopAtDifferentPlaces() {
    // given two partitions whose matches lie at different depths
    List<KeyValue<String, byte[]>> first =
        List.of(ended("a-1"), ended("a-2"), ended("a-3"), stored("a-4"), stored("c-1"));
    List<KeyValue<String, byte[]>> second = List.of(stored("b-1"), ended("b-2"), stored("d-1"));

    // when running sagas are listed page after page, two instances looked at per partition
    List<Object> listed = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      SagaListing.Page page =
          SagaListing.merge(
              List.of(
                  scan(from(first, cursor), RUNNING, 10, cursor, 2),
                  scan(from(second, cursor), RUNNING, 10, cursor, 2)),
              10);
      page.sagas().forEach(s -> listed.add(s.get("key")));
      cursor = page.completeTo();
      pages++;
    } while (cursor.isPresent() && pages < 20);

    // then each running saga is listed once, in key order, although a page held few
    assertThat(listed).containsExactly("a-4", "b-1", "c-1", "d-1");
    assertThat(pages).isGreaterThan(1);
  }

  @Test
  void aPageThatStoppedShortKeepsTheOthersLaterEntriesForTheNextPage() {
    // given one page complete only up to order-2 and another with an entry after it
    Map<String, Object> early = Map.of("key", "order-1", "definition", DEFINITION.name());
    Map<String, Object> late = Map.of("key", "order-7", "definition", DEFINITION.name());
    var pages =
        List.of(
            new SagaListing.Page(
                List.of(early),
                List.of(),
                Set.of(0),
                Optional.of(InstanceKeys.key("order-2", DEFINITION.name()))),
            new SagaListing.Page(List.of(late), List.of(), Set.of(1), Optional.empty()));

    // when they are merged
    SagaListing.Page merged = SagaListing.merge(pages, 10);

    // then the later entry waits for the page that starts after order-2
    assertThat(merged.sagas()).containsExactly(early);
    assertThat(merged.completeTo()).contains(InstanceKeys.key("order-2", DEFINITION.name()));
  }

  private static final SagaListing.Filter RUNNING =
      new SagaListing.Filter(
          Optional.of(io.sagastream.engine.SagaStatus.RUNNING),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  private static SagaListing.Page scan(
      java.util.Iterator<KeyValue<String, byte[]>> entries,
      SagaListing.Filter filter,
      int limit,
      Optional<String> after,
      int budget) {
    return SagaListing.scan(entries, filter, limit, after, budget, Set.of(0));
  }

  /** The store's range from the cursor on, as the listing asks RocksDB for it. */
  private static java.util.Iterator<KeyValue<String, byte[]>> from(
      List<KeyValue<String, byte[]>> partition, Optional<String> cursor) {
    return partition.stream()
        .filter(e -> cursor.isEmpty() || e.key.compareTo(cursor.get()) >= 0)
        .iterator();
  }

  /** An instance that no longer runs: cancelled right after its start. */
  private static KeyValue<String, byte[]> ended(String key) {
    var cancelled =
        SagaEngine.decide(DEFINITION, started(key), new CancelSaga("ada", "test"), T0).instance();
    assertThat(cancelled.status()).isNotEqualTo(io.sagastream.engine.SagaStatus.RUNNING);
    return KeyValue.pair(InstanceKeys.key(key, DEFINITION.name()), InstanceCodec.encode(cancelled));
  }
}
