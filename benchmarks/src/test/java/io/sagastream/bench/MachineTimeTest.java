package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MachineTimeTest {

  @Test
  void busyAndStealAreSharesOfAllTheCoresTimeInTheWindow() {
    MachineTime before = MachineTime.parse("cpu  1000 0 100 5000 0 0 0 100 0 0");
    // 600 ticks busy (500 user + 50 system + 50 softirq), 300 idle, 100 stolen.
    MachineTime after = MachineTime.parse("cpu  1500 0 150 5250 50 0 50 200 0 0");

    MachineTime.Share share = after.since(before);

    assertThat(share.busyPercent()).isCloseTo(60.0, within(0.01));
    assertThat(share.stealPercent()).isCloseTo(10.0, within(0.01));
    assertThat(share.text()).isEqualTo("60% busy, 10% steal");
  }

  @Test
  void aWindowWithoutTicksIsUnknownRatherThanZero() {
    MachineTime same = MachineTime.parse("cpu  1 2 3 4 5 6 7 8 0 0");

    MachineTime.Share share = same.since(same);

    assertThat(share.busyPercent()).isNaN();
    assertThat(share.text()).isEqualTo("n/a");
  }
}
