package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DoublingPauseTest {

  private final DoublingPause pause =
      new DoublingPause(Duration.ofMillis(300), Duration.ofSeconds(2));

  @Test
  void thePauseDoublesWithEachFailureInARowUntilItReachesTheCap() {
    assertThat(pause.after(1)).isEqualTo(Duration.ofMillis(300));
    assertThat(pause.after(2)).isEqualTo(Duration.ofMillis(600));
    assertThat(pause.after(3)).isEqualTo(Duration.ofMillis(1200));
    assertThat(pause.after(4)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aFailureCountFarPastTheCapStillGivesTheCapRatherThanOverflowing() {
    assertThat(pause.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void noFailuresYetGiveTheFirstPause() {
    assertThat(pause.after(0)).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aCapBelowTheFirstPauseIsRefusedNamingBoth() {
    assertThatThrownBy(() -> new DoublingPause(Duration.ofSeconds(1), Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT1S")
        .hasMessageContaining("PT0.01S");
  }
}
