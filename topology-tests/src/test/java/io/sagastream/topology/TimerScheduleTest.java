package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.engine.Timer;
import io.sagastream.engine.TimerKind;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which timers a scan finds, and where the next scan starts. */
class TimerScheduleTest {

  private static final int NO_LIMIT = 1000;
  private static final Duration SCAN_INTERVAL = Duration.ofMillis(100);

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
    schedule = new TimerSchedule(store, SCAN_INTERVAL);
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
    List<Bytes> startedTask = new TimerSchedule(store, SCAN_INTERVAL).due(at(200), NO_LIMIT);

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

  @Test
  void whileTimersAheadAreDeletedStopsAreKeptAheadOfTheScansAndDeletedAsTheyArePassed() {
    // given a timer ahead, cancelled
    cancelTimerDueAt(60_000);

    // when the task scans at 1000 and again at 1450
    List<Bytes> first = schedule.due(at(1000), NO_LIMIT);
    List<Long> stopsAfterFirst = stops();
    List<Bytes> second = schedule.due(at(1450), NO_LIMIT);

    // then no scan returns a stop, and stops stand one scan interval apart up to ten ahead
    assertThat(first).isEmpty();
    assertThat(second).isEmpty();
    assertThat(stopsAfterFirst).containsExactlyElementsOf(grid(1100, 2000));
    assertThat(stops()).containsExactlyElementsOf(grid(1500, 2400));
  }

  @Test
  void stopsEndWhereTheLastDeletedTimerWasDue() {
    // given a timer ahead, cancelled, due at 1230
    cancelTimerDueAt(1230);

    // when the task scans at 1000
    schedule.due(at(1000), NO_LIMIT);

    // then there is no stop beyond it
    assertThat(stops()).containsExactlyElementsOf(grid(1100, 1200));
  }

  @Test
  void aTaskThatDeletesNoTimerAheadPlacesNoStops() {
    // given timers that are fired and deleted when due, as in a task with no cancelled timer
    schedule.put(timerDueAt(900));
    fireAll(schedule.due(at(1000), NO_LIMIT));
    schedule.put(timerDueAt(1100));

    // when the task scans again
    List<Bytes> due = fireAll(schedule.due(at(1200), NO_LIMIT));

    // then the timer fired, and the store holds nothing
    assertThat(dueTimes(due)).containsExactly(1100L);
    assertThat(stops()).isEmpty();
    assertThat(schedule.pendingCount().total()).isZero();
  }

  @Test
  void aMinuteAfterTheLastTimerAheadWasDeletedNoMoreStopsArePlaced() {
    // given a cancelled timer ahead, seen by a scan at 1000
    cancelTimerDueAt(3_600_000);
    schedule.due(at(1000), NO_LIMIT);

    // when the task scans a minute later, and once more after that
    schedule.due(at(61_000), NO_LIMIT);
    List<Long> aMinuteLater = stops();
    schedule.due(at(62_000), NO_LIMIT);

    // then the first still places stops, and the second passes the last of them
    assertThat(aMinuteLater).containsExactlyElementsOf(grid(61_100, 62_000));
    assertThat(stops()).isEmpty();
  }

  @Test
  void theCensusCountsTimersASliceAtATimeAndGivesTheTotalOnceItReachedTheEnd() {
    // given more timers than one slice reads
    int timers = SlicedCount.SLICE_SIZE * 2 + 10;
    for (long dueAt = 1; dueAt <= timers; dueAt++) {
      schedule.put(timerDueAt(dueAt * 1000));
    }
    SlicedCount<Bytes> count = schedule.pendingCount();

    // when it is read slice by slice, while the first of them fire between slices
    var first = count.advance();
    fireAll(schedule.due(at(5_000), NO_LIMIT));
    var second = count.advance();
    var third = count.advance();

    // then only the third slice gives a total: every timer it read, none twice
    assertThat(first).isEmpty();
    assertThat(second).isEmpty();
    assertThat(third).hasValue(timers);
    // and the next count starts again from the store's start, without the fired ones
    assertThat(count.total()).isEqualTo(timers - 5);
  }

  @Test
  void aSteppedCountKeepsItsLastTotalUntilAskedToCountAgain() {
    // given timers counted step by step until whole
    int timers = SlicedCount.SLICE_SIZE + 1;
    for (long dueAt = 1; dueAt <= timers; dueAt++) {
      schedule.put(timerDueAt(dueAt * 1000));
    }
    SlicedCount<Bytes> census = schedule.pendingCount();
    census.step();
    census.step();
    assertThat(census.lastTotal()).isEqualTo(timers);

    // when another timer is set, then steps change nothing until a new count is asked for
    schedule.put(timerDueAt(999_000_000));
    census.step();
    census.step();
    assertThat(census.lastTotal()).isEqualTo(timers);
    census.again();
    census.step();
    census.step();
    assertThat(census.lastTotal()).isEqualTo(timers + 1);
  }

  @Test
  void stopsAreNotCountedAsPendingTimers() {
    // given a pending timer, and stops placed after another timer ahead was cancelled
    schedule.put(timerDueAt(90_000));
    cancelTimerDueAt(60_000);
    schedule.due(at(1000), NO_LIMIT);

    // when the census counts the timers
    long pending = schedule.pendingCount().total();

    // then
    assertThat(stops()).isNotEmpty();
    assertThat(pending).isOne();
  }

  /** Schedules a timer and cancels it before it falls due, as a step's reply does its timeout. */
  private void cancelTimerDueAt(long millis) {
    Bytes timer = timerDueAt(millis);
    schedule.put(timer);
    schedule.delete(timer);
  }

  private List<Long> stops() {
    List<Long> stops = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      all.forEachRemaining(
          entry -> {
            if (TimerSchedule.isStop(entry.key)) {
              stops.add(ByteBuffer.wrap(entry.key.get()).getLong());
            }
          });
    }
    return stops;
  }

  private static List<Long> grid(long from, long to) {
    return LongStream.iterate(from, at -> at <= to, at -> at + 100).boxed().toList();
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
