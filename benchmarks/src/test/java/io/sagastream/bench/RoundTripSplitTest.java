package io.sagastream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoundTripSplitTest {

  @Test
  void splitsAtTheReplyWhenTheReplyRecordIsReadFirst() {
    RoundTripSplit split = new RoundTripSplit();

    split.replied("c1", 1_070, 1_070);
    split.received("c1", 1_000, 1_100);

    assertThat(split.outward(0, 2_000).percentile(0.5)).hasValue(70);
    assertThat(split.back(0, 2_000).percentile(0.5)).hasValue(30);
  }

  @Test
  void splitsTheSameWhenTheJournalEventIsReadFirst() {
    RoundTripSplit split = new RoundTripSplit();

    split.received("c1", 1_000, 1_100);
    split.replied("c1", 1_070, 1_070);

    assertThat(split.outward(0, 2_000).percentile(0.5)).hasValue(70);
    assertThat(split.back(0, 2_000).percentile(0.5)).hasValue(30);
  }

  @Test
  void splitsTheWayBackWhereAReadCommittedReaderFirstSawTheReply() {
    RoundTripSplit split = new RoundTripSplit();

    split.replied("c1", 1_070, 1_080);
    split.received("c1", 1_000, 1_100);

    assertThat(split.untilVisible(0, 2_000).percentile(0.5)).hasValue(10);
    assertThat(split.atTheNode(0, 2_000).percentile(0.5)).hasValue(20);
    assertThat(split.back(0, 2_000).percentile(0.5)).hasValue(30);
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
