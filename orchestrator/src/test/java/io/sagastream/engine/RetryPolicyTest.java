package io.sagastream.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void theDefaultsAreTheClassicEnginesOnes() {
    assertThat(RetryPolicy.DEFAULT)
        .isEqualTo(new RetryPolicy(10, Duration.ofSeconds(1), 2.0, Duration.ofHours(1), 0.5));
  }

  @Test
  void aMultiplierOrJitterThatIsNotANumberIsRefused() {
    assertThatThrownBy(
            () -> new RetryPolicy(3, Duration.ofSeconds(1), Double.NaN, Duration.ofMinutes(1), 0))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(
            () -> new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), Double.NaN))
        .hasMessageContaining("jitter");
  }

  @Test
  void withoutJitterTheDelayDoublesUpToTheMaximum() {
    RetryPolicy policy = new RetryPolicy(20, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0);

    assertThat(policy.delayBefore(2, "c")).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delayBefore(3, "c")).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delayBefore(4, "c")).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delayBefore(10, "c")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void jitterSpreadsDelaysWithinItsBoundsAndTheSameIdAlwaysGetsTheSameDelay() {
    RetryPolicy policy = RetryPolicy.DEFAULT;
    var delays = new java.util.HashSet<Duration>();
    for (int i = 0; i < 200; i++) {
      Duration delay = policy.delayBefore(3, "s-" + i + "/reserve/action/3");
      assertThat(delay).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
      assertThat(policy.delayBefore(3, "s-" + i + "/reserve/action/3")).isEqualTo(delay);
      delays.add(delay);
    }
    assertThat(delays).as("distinct delays for 200 ids").hasSizeGreaterThan(150);
  }

  @Test
  void aPolicyThatCannotWorkIsRefused() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, 2, Duration.ZERO, 0))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(5), 2, Duration.ofSeconds(1), 0))
        .hasMessageContaining("maxDelay");
    assertThatThrownBy(
            () -> new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 1.5))
        .hasMessageContaining("jitter");
  }
}
