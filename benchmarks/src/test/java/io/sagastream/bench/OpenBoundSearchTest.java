package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenBoundSearchTest {

  @Test
  void theBoundDoublesWhileStepsRiseAndTheSmallerIsKeptOnceTheyLevelOff() {
    // given
    OpenBoundSearch search = new OpenBoundSearch(1000, 16_000);

    // when: 4500 at 1000 open, 5650 at 2000, 6200 at 4000 (less than 10% more)
    OptionalInt afterFirst = search.measured(4500);
    OptionalInt afterSecond = search.measured(5650);
    OptionalInt afterThird = search.measured(6200);

    // then
    assertThat(afterFirst).hasValue(2000);
    assertThat(afterSecond).hasValue(4000);
    assertThat(afterThird).isEmpty();
    assertThat(search.chosen()).isEqualTo(2000);
  }

  @ParameterizedTest(name = "limit {0}: {1} then {2} steps/s keeps {3} open")
  @CsvSource({
    // a bound that already saturates the nodes: doubling it gains under 10%
    "16000, 4000, 4100, 1000",
    // steps/s still rising, but a doubling would pass the limit
    "2000, 1000, 2000, 2000"
  })
  void theSearchEndsWhenADoublingGainsTooLittleOrTheLimitIsReached(
      int limit, double atStart, double atDouble, int kept) {
    // given
    OpenBoundSearch search = new OpenBoundSearch(1000, limit);
    search.measured(atStart);

    // when
    OptionalInt next = search.measured(atDouble);

    // then
    assertThat(next).isEmpty();
    assertThat(search.chosen()).isEqualTo(kept);
  }

  @Test
  void aStartAboveTheLimitIsRefused() {
    assertThatThrownBy(() -> new OpenBoundSearch(4000, 2000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 <= start <= limit");
  }
}
