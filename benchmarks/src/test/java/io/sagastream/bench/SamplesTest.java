package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplesTest {

  @Test
  void shouldGiveNearestRankPercentiles() {
    Samples samples = new Samples();
    for (int i = 100; i >= 1; i--) {
      samples.add(i);
    }

    assertThat(samples.percentile(0.5)).hasValue(50);
    assertThat(samples.percentile(0.99)).hasValue(99);
    assertThat(samples.percentile(1.0)).hasValue(100);
    assertThat(samples.percentile(0.0)).hasValue(1);
    assertThat(samples.max()).hasValue(100);
  }

  @Test
  void shouldGiveTheOnlySampleForAnyShare() {
    Samples samples = new Samples();
    samples.add(7);

    assertThat(samples.percentile(0.5)).hasValue(7);
    assertThat(samples.percentile(0.99)).hasValue(7);
  }

  @Test
  void shouldGiveNothingWithoutSamples() {
    assertThat(new Samples().percentile(0.5)).isEmpty();
  }

  @Test
  void shouldGrowPastItsFirstCapacity() {
    Samples samples = new Samples();
    for (int i = 0; i < 5000; i++) {
      samples.add(i);
    }

    assertThat(samples.size()).isEqualTo(5000);
    assertThat(samples.get(4999)).isEqualTo(4999);
  }

  @Test
  void shouldChooseTheSamplesWhoseTimeLiesInTheWindow() {
    Samples values = new Samples();
    Samples times = new Samples();
    long[][] valueAndTime = {{1, 999}, {2, 1_000}, {3, 1_999}, {4, 2_000}};
    for (long[] pair : valueAndTime) {
      values.add(pair[0]);
      times.add(pair[1]);
    }

    Samples chosen = values.at(times, 1_000, 2_000);

    assertThat(chosen.size()).isEqualTo(2);
    assertThat(chosen.get(0)).isEqualTo(2);
    assertThat(chosen.get(1)).isEqualTo(3);
  }
}
