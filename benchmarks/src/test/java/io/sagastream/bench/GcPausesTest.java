package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GcPausesTest {

  @Test
  void countsTheCollectorsThatStopTheWorld() {
    assertThat(GcPauses.pauses("G1 Young Generation")).isTrue();
    assertThat(GcPauses.pauses("G1 Old Generation")).isTrue();
    assertThat(GcPauses.pauses("ZGC Minor Pauses")).isTrue();
    assertThat(GcPauses.pauses("PS Scavenge")).isTrue();
  }

  @Test
  void leavesOutTheCollectorsThatCountConcurrentWork() {
    assertThat(GcPauses.pauses("G1 Concurrent GC")).isFalse();
    assertThat(GcPauses.pauses("ZGC Major Cycles")).isFalse();
    assertThat(GcPauses.pauses("ZGC")).isFalse();
  }

  @Test
  void givesTheMeanPauseOfAWindow() {
    GcPauses window = new GcPauses(12, 900).since(new GcPauses(2, 100));

    assertThat(window.count()).isEqualTo(10);
    assertThat(window.meanMillis()).isEqualTo(80);
  }
}
