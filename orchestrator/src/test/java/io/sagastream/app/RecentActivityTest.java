package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.testing.MovingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentActivityTest {

  @Test
  void startsAndEndsAreCountedInTheTenSecondsTheyHappenedIn() {
    // given a node at 12:00:03
    MovingClock clock = new MovingClock(Instant.parse("2026-03-02T12:00:03Z"));
    RecentActivity activity = new RecentActivity(clock);

    // when two sagas start and one completes now, and one compensates 10 s later
    activity.journaled("SagaStarted");
    activity.journaled("SagaStarted");
    activity.journaled("SagaCompleted");
    activity.journaled("StepCommandSent");
    clock.advance(Duration.ofSeconds(10));
    activity.journaled("SagaCompensated");

    // then the last two buckets hold them, the newest last, and step events are not counted
    List<RecentActivity.Bucket> recent = activity.recent();
    assertThat(recent).hasSize(RecentActivity.BUCKETS);
    assertThat(recent.get(recent.size() - 2))
        .isEqualTo(new RecentActivity.Bucket("2026-03-02T12:00:00Z", 2, 1, 0, 0));
    assertThat(recent.get(recent.size() - 1))
        .isEqualTo(new RecentActivity.Bucket("2026-03-02T12:00:10Z", 0, 0, 1, 0));
  }

  @Test
  void bucketsOlderThanTenMinutesAreForgottenAndNotCountedAgainWhenTheirSlotComesBack() {
    // given a saga started at 12:00:00
    MovingClock clock = new MovingClock(Instant.parse("2026-03-02T12:00:00Z"));
    RecentActivity activity = new RecentActivity(clock);
    activity.journaled("SagaStarted");

    // when ten minutes pass, which brings its slot of the ring round again, and one fails
    clock.advance(Duration.ofMinutes(10));
    activity.journaled("SagaFailed");

    // then only the failure is left
    List<RecentActivity.Bucket> recent = activity.recent();
    assertThat(recent.stream().mapToLong(RecentActivity.Bucket::started).sum()).isZero();
    assertThat(recent.get(recent.size() - 1))
        .isEqualTo(new RecentActivity.Bucket("2026-03-02T12:10:00Z", 0, 0, 0, 1));
    assertThat(recent.get(0).start()).isEqualTo("2026-03-02T12:00:10Z");
  }
}
