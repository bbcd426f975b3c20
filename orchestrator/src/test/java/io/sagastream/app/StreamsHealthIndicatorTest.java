package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class StreamsHealthIndicatorTest {

  @Test
  void aNodeIsNotReadyUntilItsStreamsHaveRunOnce() {
    // given a node whose Kafka Streams has not run yet, then one that runs
    // when / then
    assertThat(StreamsHealthIndicator.serving(State.CREATED, false)).isFalse();
    assertThat(StreamsHealthIndicator.serving(State.REBALANCING, false)).isFalse();
    assertThat(StreamsHealthIndicator.serving(State.RUNNING, false)).isTrue();
  }

  @Test
  void aNodeThatHasRunStaysReadyThroughARebalanceButNotAFailureOrShutdown() {
    // given a node whose Kafka Streams has been RUNNING
    boolean hasRun = true;

    // when / then: a rebalance keeps it in the Service, a failure or a shutdown does not
    assertThat(StreamsHealthIndicator.serving(State.REBALANCING, hasRun)).isTrue();
    assertThat(StreamsHealthIndicator.serving(State.ERROR, hasRun)).isFalse();
    assertThat(StreamsHealthIndicator.serving(State.PENDING_SHUTDOWN, hasRun)).isFalse();
    assertThat(StreamsHealthIndicator.serving(State.NOT_RUNNING, hasRun)).isFalse();
  }
}
