package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.engine.Timer;
import io.sagastream.engine.TimerKind;
import java.time.Instant;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class TimerKeysTest {

  @Test
  void theKindsStoredCodesStayAsStoresHoldThem() {
    // A key keeps its timer's kind as the kind's position: a kind moved or taken out would make
    // timers already stored fire as another kind. New kinds go at the end.
    assertThat(TimerKind.values())
        .containsExactly(
            TimerKind.STEP_TIMEOUT,
            TimerKind.RETRY_BACKOFF,
            TimerKind.SAGA_DEADLINE,
            TimerKind.RECEIVE_TIMEOUT,
            TimerKind.MESSAGE_EXPIRY);
  }

  @Test
  void aKeyReadsBackAsTheTimerItWasMadeFrom() {
    Timer timer =
        new Timer(
            TimerKind.RETRY_BACKOFF, Instant.parse("2026-11-21T10:00:00.123Z"), "s-1/pay/action/2");

    var read = TimerKeys.read(TimerKeys.key("order-7 ünïcode", "order-fulfilment", timer));

    assertThat(read.sagaKey()).isEqualTo("order-7 ünïcode");
    assertThat(read.definitionName()).isEqualTo("order-fulfilment");
    assertThat(read.timer()).isEqualTo(timer);
  }

  @Property(tries = 500)
  void byteOrderOfKeysIsDueTimeOrder(
      @ForAll @LongRange(min = 0, max = 4_000_000_000_000L) long first,
      @ForAll @LongRange(min = 0, max = 4_000_000_000_000L) long second,
      @ForAll @StringLength(max = 40) String keyA,
      @ForAll @StringLength(max = 40) String keyB) {
    byte[] a =
        TimerKeys.key(
            keyA, "d", new Timer(TimerKind.STEP_TIMEOUT, Instant.ofEpochMilli(first), "x"));
    byte[] b =
        TimerKeys.key(
            keyB, "d", new Timer(TimerKind.SAGA_DEADLINE, Instant.ofEpochMilli(second), "y"));

    if (first < second) {
      assertThat(Arrays.compareUnsigned(a, b)).isNegative();
    } else if (first > second) {
      assertThat(Arrays.compareUnsigned(a, b)).isPositive();
    }
  }

  @Property(tries = 500)
  void aScanFromDueFromUpToDueByHoldsExactlyTheTimersDueBetween(
      @ForAll @LongRange(min = 0, max = 4_000_000_000_000L) long due,
      @ForAll @LongRange(min = 0, max = 4_000_000_000_000L) long from,
      @ForAll @LongRange(min = 0, max = 4_000_000_000_000L) long now) {
    byte[] key =
        TimerKeys.key("k", "d", new Timer(TimerKind.STEP_TIMEOUT, Instant.ofEpochMilli(due), "c"));

    boolean inScan =
        Arrays.compareUnsigned(key, TimerKeys.dueFrom(from)) >= 0
            && Arrays.compareUnsigned(key, TimerKeys.dueBy(Instant.ofEpochMilli(now))) <= 0;

    assertThat(inScan).isEqualTo(from <= due && due <= now);
  }
}
