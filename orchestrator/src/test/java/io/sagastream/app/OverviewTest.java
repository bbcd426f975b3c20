package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverviewTest {

  @Test
  void theFiguresOfSeveralNodesAddUpAndLatenessIsWeightedByTimersFired() {
    // given two nodes' figures
    Overview first =
        new Overview(
            List.of(new Overview.InstanceCount("order", "RUNNING", 2)),
            List.of(new Overview.VersionCount("order", 1, 2)),
            List.of(new RecentActivity.Bucket("2026-03-02T12:00:00Z", 3, 1, 0, 0)),
            Map.of("UNREADABLE_VALUE", 1L),
            0,
            4,
            new Overview.Lateness(1, 10.0, 10.0),
            List.of("a:8080"),
            List.of());
    Overview second =
        new Overview(
            List.of(
                new Overview.InstanceCount("order", "RUNNING", 5),
                new Overview.InstanceCount("order", "FAILED", 1)),
            List.of(new Overview.VersionCount("order", 2, 6)),
            List.of(new RecentActivity.Bucket("2026-03-02T12:00:00Z", 1, 0, 2, 1)),
            Map.of("UNREADABLE_VALUE", 2L, "UNKNOWN_DEFINITION", 1L),
            1,
            6,
            new Overview.Lateness(3, 50.0, 80.0),
            List.of("b:8080"),
            List.of());

    // when they are merged, one peer having not answered
    Overview merged = Overview.merge(List.of(first, second), List.of("c:8080"));

    // then counts add up by definition, status, version, reason and bucket
    assertThat(merged.instances())
        .containsExactly(
            new Overview.InstanceCount("order", "RUNNING", 7),
            new Overview.InstanceCount("order", "FAILED", 1));
    assertThat(merged.openByVersion())
        .containsExactly(
            new Overview.VersionCount("order", 1, 2), new Overview.VersionCount("order", 2, 6));
    assertThat(merged.activity())
        .containsExactly(new RecentActivity.Bucket("2026-03-02T12:00:00Z", 4, 1, 2, 1));
    assertThat(merged.deadLetters())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("UNREADABLE_VALUE", 3L, "UNKNOWN_DEFINITION", 1L));
    assertThat(merged.incidentsRaised()).isEqualTo(1);
    assertThat(merged.timersPending()).isEqualTo(10);
    // and lateness is the mean over all four timers, and the larger maximum
    assertThat(merged.timerLateness()).isEqualTo(new Overview.Lateness(4, 40.0, 80.0));
    assertThat(merged.nodes()).containsExactly("a:8080", "b:8080");
    assertThat(merged.unanswered()).containsExactly("c:8080");
  }
}
