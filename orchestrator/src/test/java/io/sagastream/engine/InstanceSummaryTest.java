package io.sagastream.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InstanceSummaryTest {

  private static final Instant STALE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant LONG_BEFORE = STALE.minus(Duration.ofHours(1));
  private static final Instant AFTER = STALE.plus(Duration.ofMinutes(1));

  @Test
  void anOpenInstanceWithoutProgressIsStuckWhenItHasNoTimerOrOnlyLostOnes() {
    assertThat(summary(SagaStatus.RUNNING, LONG_BEFORE, null).stuckSince(STALE)).isTrue();
    assertThat(summary(SagaStatus.COMPENSATING, LONG_BEFORE, LONG_BEFORE).stuckSince(STALE))
        .isTrue();
  }

  @Test
  void aWaitingInstanceIsStuckOnlyWhenItsTimersWereLostNotWhenItHasNone() {
    assertThat(summary(SagaStatus.WAITING, LONG_BEFORE, LONG_BEFORE).stuckSince(STALE)).isTrue();
    assertThat(summary(SagaStatus.WAITING, LONG_BEFORE, AFTER).stuckSince(STALE)).isFalse();
    assertThat(summary(SagaStatus.WAITING, LONG_BEFORE, null).stuckSince(STALE)).isFalse();
  }

  @Test
  void aTimerStillToComeRecentProgressAWaitAnIncidentOrAnEndMeansNotStuck() {
    assertThat(summary(SagaStatus.RUNNING, LONG_BEFORE, AFTER).stuckSince(STALE)).isFalse();
    assertThat(summary(SagaStatus.RUNNING, AFTER, null).stuckSince(STALE)).isFalse();
    assertThat(summary(SagaStatus.WAITING, LONG_BEFORE, null).stuckSince(STALE)).isFalse();
    assertThat(summary(SagaStatus.FAILED, LONG_BEFORE, null).stuckSince(STALE)).isFalse();
    assertThat(summary(SagaStatus.COMPLETED, LONG_BEFORE, null).stuckSince(STALE)).isFalse();
  }

  @Test
  void onlyAnInstanceThatEndedBeforeTheCutoffCountsAsEndedBeforeIt() {
    assertThat(summary(SagaStatus.COMPENSATED, LONG_BEFORE, null).endedBefore(STALE)).isTrue();
    assertThat(summary(SagaStatus.COMPLETED, AFTER, null).endedBefore(STALE)).isFalse();
    assertThat(summary(SagaStatus.FAILED, LONG_BEFORE, null).endedBefore(STALE)).isFalse();
  }

  private static InstanceSummary summary(
      SagaStatus status, Instant updatedAt, Instant earliestTimerDue) {
    return new InstanceSummary("order", 1, status, updatedAt, earliestTimerDue);
  }
}
