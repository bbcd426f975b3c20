package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PauseTimelineTest {

  @Test
  void aRoundTripWithAPauseInsideItOrAtEitherEndIsOverlapped() {
    // given a pause from 1000 to 1060
    PauseTimeline timeline = new PauseTimeline();
    timeline.add(1_000, 1_060);

    // when round trips end before it, span it, start inside it, end inside it, and start after it
    Samples durations = samples(100, 200, 50, 30, 40);
    Samples ends = samples(990, 1_100, 1_080, 1_010, 1_200);

    // then two of five are clear of it
    assertThat(timeline.shareOverlapped(durations, ends, 0)).isEqualTo(0.6);
  }

  @Test
  void onlyRoundTripsAtLeastTheThresholdCount() {
    // given
    PauseTimeline timeline = new PauseTimeline();
    timeline.add(1_000, 1_060);
    Samples durations = samples(300, 20, 20);
    Samples ends = samples(1_100, 1_010, 1_500);

    // when only the slow one counts
    double share = timeline.shareOverlapped(durations, ends, 250);

    // then
    assertThat(share).isEqualTo(1.0);
  }

  @Test
  void withoutRoundTripsTheShareIsNotANumber() {
    PauseTimeline timeline = new PauseTimeline();

    assertThat(timeline.shareOverlapped(samples(), samples(), 0)).isNaN();
  }

  @Test
  void aNodesPausesHandedOverOnOneLineCountWithThisProcesssOwn() {
    // given a node's JVM that paused before the window and in it, and this process once
    PauseTimeline node = new PauseTimeline();
    node.add(100, 140);
    node.add(1_000, 1_060);
    PauseTimeline here = new PauseTimeline();
    here.add(2_000, 2_030);

    // when the node hands over its pauses since 500 and they join this process's
    PauseTimeline both = here.plus(PauseTimeline.decode(node.encode(500)));

    // then round trips over either process's pause in the window are overlapped, not the one before
    Samples durations = samples(50, 50, 50);
    Samples ends = samples(150, 1_030, 2_010);
    assertThat(both.shareOverlapped(durations, ends, 0)).isEqualTo(2.0 / 3);
  }

  @Test
  void noPausesGoOverAsADash() {
    assertThat(new PauseTimeline().encode(0)).isEqualTo("-");
    assertThat(PauseTimeline.decode("-").shareOverlapped(samples(10), samples(20), 0)).isZero();
  }

  private static Samples samples(long... values) {
    Samples samples = new Samples();
    for (long value : values) {
      samples.add(value);
    }
    return samples;
  }
}
