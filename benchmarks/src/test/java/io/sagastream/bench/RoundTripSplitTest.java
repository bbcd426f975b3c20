package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoundTripSplitTest {

  @ParameterizedTest(name = "reply record read first: {0}")
  @ValueSource(booleans = {true, false})
  void splitsAtTheReplyAndWhereAReadCommittedReaderFirstSawIt(boolean replyReadFirst) {
    // given: sent at 1000, replied at 1070, seen by the reader at 1080, taken by the node at 1100
    RoundTripSplit split = new RoundTripSplit();

    // when
    if (replyReadFirst) {
      split.replied("c1", 1_070, 1_080);
      split.received("c1", 1_000, 1_100);
    } else {
      split.received("c1", 1_000, 1_100);
      split.replied("c1", 1_070, 1_080);
    }

    // then
    assertThat(split.outward(0, 2_000).percentile(0.5)).hasValue(70);
    assertThat(split.back(0, 2_000).percentile(0.5)).hasValue(30);
    assertThat(split.untilVisible(0, 2_000).percentile(0.5)).hasValue(10);
    assertThat(split.atTheNode(0, 2_000).percentile(0.5)).hasValue(20);
  }

  @Test
  void countsARoundTripInTheWindowWhereItsReplyWasTaken() {
    RoundTripSplit split = new RoundTripSplit();

    split.replied("early", 500, 500);
    split.received("early", 400, 900);
    split.replied("late", 1_050, 1_050);
    split.received("late", 1_000, 1_200);

    assertThat(split.outward(1_000, 2_000).size()).isEqualTo(1);
    assertThat(split.outward(1_000, 2_000).percentile(0.5)).hasValue(50);
  }

  @Test
  void leavesOutAReplyThatNoJournalEventMatched() {
    RoundTripSplit split = new RoundTripSplit();

    split.replied("unanswered", 1_050, 1_050);
    split.received("other", 1_000, 1_200);

    assertThat(split.outward(0, 2_000).size()).isZero();
  }
}
