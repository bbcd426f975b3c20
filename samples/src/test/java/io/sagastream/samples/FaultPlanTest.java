package io.sagastream.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

  @Test
  void ratesOutsideZeroToOneOrAddingUpToMoreThanOneAreRefused() {
    assertThatThrownBy(() -> FaultPlan.failing(1.5, 0))
        .hasMessageContaining("failureRate must be from 0 to 1, not 1.5");
    assertThatThrownBy(() -> FaultPlan.failing(0, -0.1))
        .hasMessageContaining("retryableFailureRate");
    assertThatThrownBy(() -> FaultPlan.failing(0.6, 0.6)).hasMessageContaining("more than 1");
  }

  @Test
  void aPlanHasAnOutageOnlyWhenItLastsSomeTime() {
    assertThat(FaultPlan.NONE.hasOutage()).isFalse();
    assertThat(FaultPlan.NONE.withOutage(Duration.ofSeconds(5), Duration.ZERO).hasOutage())
        .isFalse();
    assertThat(FaultPlan.NONE.withOutage(Duration.ZERO, Duration.ofSeconds(3)).hasOutage())
        .isTrue();
  }
}
