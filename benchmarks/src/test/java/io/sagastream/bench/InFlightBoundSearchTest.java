package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InFlightBoundSearchTest {

  @Test
  void theBoundDoublesWhileStepsRiseAndTheSmallerIsKeptOnceTheyLevelOff() {
    // given
    InFlightBoundSearch search = new InFlightBoundSearch(1000, 16_000);

    // when: 4500 at 1000 open, 5650 at 2000, then 6200 at 4000 and 6100 at 8000 (each less than
    // 10% more than 5650)
    OptionalInt afterFirst = search.measured(4500);
    OptionalInt afterSecond = search.measured(5650);
    OptionalInt afterThird = search.measured(6200);
    OptionalInt afterFourth = search.measured(6100);

    // then
    assertThat(afterFirst).hasValue(2000);
    assertThat(afterSecond).hasValue(4000);
    assertThat(afterThird).hasValue(8000);
    assertThat(afterFourth).isEmpty();
    assertThat(search.chosen()).isEqualTo(2000);
  }

  @Test
  void oneProbeThatGainsTooLittleDoesNotEndTheSearch() {
    // given: the probes of a run with two stream threads, where 4000 open gained only 4%
    InFlightBoundSearch search = new InFlightBoundSearch(1000, 16_000);
    search.measured(3941);
    search.measured(5069);

    // when
    OptionalInt afterShortProbe = search.measured(5286);
    OptionalInt afterRecovery = search.measured(7851);

    // then
    assertThat(afterShortProbe).hasValue(8000);
    assertThat(afterRecovery).hasValue(16_000);
    assertThat(search.chosen()).isEqualTo(8000);
  }

  @ParameterizedTest(name = "limit {0}: probes {1} keep {2} open")
  @CsvSource({
    // a bound that already saturates the nodes: two doublings in a row gain under 10%
    "16000, 4000 4100 4050, 1000",
    // steps/s still rising, but a doubling would pass the limit
    "2000, 1000 2000, 2000",
    // one doubling gained too little, and the next would pass the limit
    "4000, 1000 2000 2100, 2000"
  })
  void theSearchEndsAfterTwoShortDoublingsOrAtTheLimit(int limit, String probes, int kept) {
    // given
    InFlightBoundSearch search = new InFlightBoundSearch(1000, limit);
    String[] stepsPerSecond = probes.split(" ");
    for (int i = 0; i < stepsPerSecond.length - 1; i++) {
      assertThat(search.measured(Double.parseDouble(stepsPerSecond[i]))).isPresent();
    }

    // when
    OptionalInt next =
        search.measured(Double.parseDouble(stepsPerSecond[stepsPerSecond.length - 1]));

    // then
    assertThat(next).isEmpty();
    assertThat(search.chosen()).isEqualTo(kept);
  }

  @Test
  void aStartAboveTheLimitIsRefused() {
    assertThatThrownBy(() -> new InFlightBoundSearch(4000, 2000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 <= start <= limit");
  }
}
