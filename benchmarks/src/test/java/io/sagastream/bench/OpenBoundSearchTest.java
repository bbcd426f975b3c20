package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class OpenBoundSearchTest {

  @Test
  void theBoundDoublesWhileStepsRiseAndTheSmallerIsKeptOnceTheyLevelOff() {
    // given
    OpenBoundSearch search = new OpenBoundSearch(1000, 16_000);

    // when: 4500 at 1000 open, 5650 at 2000, 6250 at 4000 (less than 10% more)
    OptionalInt afterFirst = search.measured(4500);
    OptionalInt afterSecond = search.measured(5650);
    OptionalInt afterThird = search.measured(6200);

    // then
    assertThat(afterFirst).hasValue(2000);
    assertThat(afterSecond).hasValue(4000);
    assertThat(afterThird).isEmpty();
    assertThat(search.chosen()).isEqualTo(2000);
  }

  @Test
  void aBoundThatAlreadySaturatesTheNodesIsKeptAfterOneDoubling() {
    // given
    OpenBoundSearch search = new OpenBoundSearch(1000, 16_000);
    search.measured(4000);

    // when
    OptionalInt next = search.measured(4100);

    // then
    assertThat(next).isEmpty();
    assertThat(search.chosen()).isEqualTo(1000);
  }

  @Test
  void theSearchStopsAtTheLimitEvenWhileStepsStillRise() {
    // given
    OpenBoundSearch search = new OpenBoundSearch(1000, 2000);

    // when
    search.measured(1000);
    OptionalInt afterLimit = search.measured(2000);

    // then
    assertThat(afterLimit).isEmpty();
    assertThat(search.chosen()).isEqualTo(2000);
  }

  @Test
  void aStartAboveTheLimitIsRefused() {
    assertThatThrownBy(() -> new OpenBoundSearch(4000, 2000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 <= start <= limit");
  }
}
