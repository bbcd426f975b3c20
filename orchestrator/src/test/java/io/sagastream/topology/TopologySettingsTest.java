package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TopologySettingsTest {

  @Test
  void aZeroTimerIntervalIsRefusedAtStartNamingTheSetting() {
    TopologySettings defaults = TopologySettings.defaults();

    assertThatThrownBy(
            () ->
                new TopologySettings(
                    Duration.ZERO,
                    defaults.recoveryInterval(),
                    defaults.recoveryAge(),
                    defaults.endedRetention(),
                    defaults.maxTimersPerRun(),
                    defaults.inboxTimeToLive(),
                    defaults.instanceFormat()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SAGASTREAM_TIMER_INTERVAL must be positive");
  }
}
