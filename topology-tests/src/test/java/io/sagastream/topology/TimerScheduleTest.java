package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.engine.Timer;
import io.sagastream.engine.TimerKind;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which timers a scan finds, and where the next scan starts. */
class TimerScheduleTest {

  private static final int NO_LIMIT = 1000;

  private KeyValueStore<Bytes, byte[]> store;
  private TimerSchedule schedule;

  @BeforeEach
  void openStore() {
    store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("timers"), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    schedule = new TimerSchedule(store);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void aScanFindsTheTimersDueByThenEarliestFirstAndNoLaterOne() {
    schedule.put(timerDueAt(30));
    schedule.put(timerDueAt(10));
    schedule.put(timerDueAt(20));

    List<Bytes> due = schedule.due(at(25), NO_LIMIT);

    assertThat(dueTimes(due)).containsExactly(10L, 20L);
  }

  @Test
  void aScanStopsAtItsLimitAndTheNextGoesOnFromThere() {
    for (long dueAt = 1; dueAt <= 5; dueAt++) {
      schedule.put(timerDueAt(dueAt));
    }

    List<Bytes> first = fireAll(schedule.due(at(100), 2));
    List<Bytes> second = fireAll(schedule.due(at(100), 2));
    List<Bytes> third = fireAll(schedule.due(at(100), 2));

    assertThat(dueTimes(first)).containsExactly(1L, 2L);
    assertThat(dueTimes(second)).containsExactly(3L, 4L);
    assertThat(dueTimes(third)).containsExactly(5L);
  }

  @Test
  void aTimerPutDueBeforeTheLastScanIsFoundByTheNext() {
    schedule.due(at(100), NO_LIMIT);

    schedule.put(timerDueAt(50));

    assertThat(dueTimes(schedule.due(at(200), NO_LIMIT))).containsExactly(50L);
  }

  @Test
  void theNextScanStartsWhereTheLastEndedAndATaskStartingScansFromTheStart() {
    schedule.due(at(100), NO_LIMIT);
    // Written past the schedule, as a changelog restore would: below the bound of this task's
    // scans, found by a task that starts on the same store.
    store.put(timerDueAt(50), new byte[0]);

    List<Bytes> sameTask = schedule.due(at(200), NO_LIMIT);
    List<Bytes> startedTask = new TimerSchedule(store).due(at(200), NO_LIMIT);

    assertThat(sameTask).isEmpty();
    assertThat(dueTimes(startedTask)).containsExactly(50L);
  }

  @Test
  void aTimerPutAfterTheClockWentBackFallsDueAtItsOwnTime() {
    schedule.due(at(100), NO_LIMIT);
    schedule.put(timerDueAt(97));

    List<Bytes> beforeItsTime = schedule.due(at(95), NO_LIMIT);
    List<Bytes> atItsTime = schedule.due(at(98), NO_LIMIT);

    assertThat(beforeItsTime).isEmpty();
    assertThat(dueTimes(atItsTime)).containsExactly(97L);
  }

  private List<Bytes> fireAll(List<Bytes> due) {
    due.forEach(schedule::delete);
    return due;
  }

  private static Bytes timerDueAt(long millis) {
    return Bytes.wrap(
        TimerKeys.key(
            "order-" + millis,
            "ship-order",
            new Timer(TimerKind.STEP_TIMEOUT, at(millis), "reserve-stock")));
  }

  private static Instant at(long millis) {
    return Instant.ofEpochMilli(millis);
  }

  private static List<Long> dueTimes(List<Bytes> keys) {
    return keys.stream()
        .map(key -> TimerKeys.read(key.get()).timer().dueAt().toEpochMilli())
        .toList();
  }
}
