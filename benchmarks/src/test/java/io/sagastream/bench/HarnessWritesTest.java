package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HarnessWritesTest {

  @Test
  void theDefaultIsTheMinimumOfAStep() {
    BenchOptions options = BenchOptions.parse();

    assertThat(options.harnessWrites()).isEqualTo(new HarnessWrites(0, 1));
    assertThat(options.harnessWrites().minimum()).isTrue();
  }

  @Test
  void eventsAndStoresAreReadFromTheCommandLine() {
    BenchOptions options = BenchOptions.parse("--harness-writes", "5,4");

    assertThat(options.harnessWrites()).isEqualTo(new HarnessWrites(5, 4));
    assertThat(options.harnessWrites().minimum()).isFalse();
  }

  @Test
  void aShapeWithoutAStoreOrWithoutTwoNumbersIsRejectedWithWhatWasGiven() {
    assertThatThrownBy(() -> BenchOptions.parse("--harness-writes", "5,0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5,0");
    assertThatThrownBy(() -> BenchOptions.parse("--harness-writes", "five"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("five");
  }
}
