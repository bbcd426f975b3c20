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

  private static Samples samples(long... values) {
    Samples samples = new Samples();
    for (long value : values) {
      samples.add(value);
    }
    return samples;
  }
}
