package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.codec.InstanceCodec;
import io.sagastream.engine.EngineCommand.StartSaga;
import io.sagastream.engine.RetryPolicy;
import io.sagastream.engine.SagaData;
import io.sagastream.engine.SagaDefinition;
import io.sagastream.engine.SagaEngine;
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
    var instance =
        SagaEngine.decide(
                DEFINITION,
                null,
                new StartSaga("s-" + key, key, "r-" + key, "ada", SagaData.of(new byte[0])),
                T0)
            .instance();
    return KeyValue.pair(InstanceKeys.key(key, DEFINITION.name()), InstanceCodec.encode(instance));
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
    List<Map<String, Object>> found = new ArrayList<>();
    List<Map<String, Object>> unreadable = new ArrayList<>();

    // when a page of ten is listed
    boolean more = SagaListing.scan(entries, ANY, 10, Optional.empty(), found, unreadable);

    // then the readable ones are listed and the other named with its reason, not a failed call
    assertThat(more).isFalse();
    assertThat(found).extracting(s -> s.get("key")).containsExactly("order-1", "order-3");
    assertThat(unreadable)
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
    List<Map<String, Object>> found = new ArrayList<>();
    List<Map<String, Object>> unreadable = new ArrayList<>();

    // when a page of two is listed
    boolean more = SagaListing.scan(entries, ANY, 2, Optional.empty(), found, unreadable);
    SagaListing.Page page =
        SagaListing.merge(List.of(new SagaListing.Page(found, more, unreadable, Set.of(0))), 2);

    // then it holds two, says more remain, and the next page starts after the second
    assertThat(page.unreadable())
        .extracting(u -> u.get("key"))
        .containsExactly("order-1", "order-2");
    assertThat(page.more()).isTrue();
    assertThat(SagaListing.lastKey(page)).contains(InstanceKeys.key("order-2", DEFINITION.name()));
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
            new SagaListing.Page(List.of(first), false, List.of(late), Set.of(0)),
            new SagaListing.Page(List.of(second), false, List.of(early), Set.of(1)));

    // when they are merged into a page of two
    SagaListing.Page merged = SagaListing.merge(pages, 2);

    // then it holds the first two entries in key order, an unreadable one among them, and the
    // rest is left for the next page
    assertThat(merged.sagas()).containsExactly(first);
    assertThat(merged.more()).isTrue();
    assertThat(merged.unreadable()).containsExactly(early);
    assertThat(merged.partitions()).containsExactly(0, 1);
  }
}
