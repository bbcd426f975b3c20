package io.sagastream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PeerStateTest {

  private static final Duration LEASE = Duration.ofMillis(500);
  private static final Duration CHECK = Duration.ofMillis(250);
  private static final JsonNode IDENTITY =
      JsonNodeFactory.instance.objectNode().put("groupInstanceId", "node-1");
  private static final long T0 = 1_000_000_000L;

  private final PeerState peer = new PeerState();

  @Test
  void aPeerThatNeverAnsweredIsNeverDue() {
    assertThat(peer.dueForTakeover(T0 + ms(60_000), LEASE)).isFalse();
  }

  @Test
  void aPeerSilentPastTheLeaseIsDueAndOnceTakenOverNoLonger() {
    peer.answered(IDENTITY, T0);
    askedAndRefused(T0 + ms(100));

    assertThat(peer.dueForTakeover(T0 + ms(500), LEASE)).isFalse();
    assertThat(peer.dueForTakeover(T0 + ms(501), LEASE)).isTrue();

    peer.takenOver();

    assertThat(peer.dueForTakeover(T0 + ms(5_000), LEASE)).isFalse();
  }

  @Test
  void aFailedTakeoverIsTriedAgainAfterTheCheckIntervalThenLessOftenUpToFiveSeconds() {
    peer.answered(IDENTITY, T0);
    askedAndRefused(T0 + ms(100));
    long failedAt = T0 + ms(600);

    peer.takeoverFailed(failedAt, CHECK);

    assertThat(peer.dueForTakeover(failedAt + ms(249), LEASE)).isFalse();
    assertThat(peer.dueForTakeover(failedAt + ms(250), LEASE)).isTrue();

    long failedAgainAt = failedAt + ms(250);
    peer.takeoverFailed(failedAgainAt, CHECK);

    assertThat(peer.dueForTakeover(failedAgainAt + ms(499), LEASE)).isFalse();
    assertThat(peer.dueForTakeover(failedAgainAt + ms(500), LEASE)).isTrue();

    long last = failedAgainAt;
    for (int i = 0; i < 10; i++) {
      last += ms(5_000);
      peer.takeoverFailed(last, CHECK);
    }
    assertThat(peer.dueForTakeover(last + ms(5_000), LEASE)).isTrue();
  }

  @Test
  void aPeerThatAnswersAgainStartsAfresh() {
    peer.answered(IDENTITY, T0);
    peer.takeoverFailed(T0 + ms(600), CHECK);
    peer.takeoverFailed(T0 + ms(850), CHECK);

    peer.answered(IDENTITY, T0 + ms(1_000));

    assertThat(peer.dueForTakeover(T0 + ms(1_501), LEASE)).isFalse();
    askedAndRefused(T0 + ms(1_100));
    assertThat(peer.dueForTakeover(T0 + ms(1_501), LEASE)).isTrue();
  }

  @Test
  void aDepartingPeerIsNotTakenOverUntilItHasBeenAwayAndBack() {
    peer.answered(IDENTITY, T0);
    peer.departing(T0);
    askedAndRefused(T0 + ms(100));

    assertThat(peer.dueForTakeover(T0 + ms(10_000), LEASE)).isFalse();

    peer.answered(IDENTITY, T0 + ms(20_000));
    askedAndRefused(T0 + ms(20_100));

    assertThat(peer.dueForTakeover(T0 + ms(20_501), LEASE)).isTrue();
  }

  @Test
  void aDepartureForAPeerThatNeverLeavesHoldsOnlySoLong() {
    // given a departure announced for a peer that goes on answering
    peer.answered(IDENTITY, T0);
    peer.departing(T0);
    long later = T0 + PeerState.DEPARTURE_HOLD.toNanos() + ms(1);
    peer.answered(IDENTITY, later);

    // when it then falls silent
    askedAndRefused(later + ms(100));

    // then it is taken over as any peer is
    assertThat(peer.dueForTakeover(later + ms(501), LEASE)).isTrue();
  }

  @Test
  void silenceThisNodeDidNotAskAboutIsNotCounted() {
    // given a peer that answered, then a pause of this node past the lease
    peer.answered(IDENTITY, T0);
    long resumed = T0 + ms(7_000);

    // when the first question after the pause is on its way
    assertThat(peer.startAsking(resumed)).isTrue();

    // then the peer is not due: no question went unanswered
    assertThat(peer.dueForTakeover(resumed, LEASE)).isFalse();

    // and once that question fails, it is
    peer.askingDone();
    peer.unanswered(true);
    assertThat(peer.dueForTakeover(resumed + ms(1), LEASE)).isTrue();
  }

  @Test
  void silenceBeforeATimeThisNodeWasNotWatchingIsForgiven() {
    // given a peer whose question failed, then a pause of this node past the lease
    peer.answered(IDENTITY, T0);
    askedAndRefused(T0 + ms(100));
    long resumed = T0 + ms(7_000);

    // when this node says it was not watching until now
    peer.notWatchedUntil(resumed);

    // then the lease starts again from there, and needs a new failed question
    assertThat(peer.dueForTakeover(resumed + ms(501), LEASE)).isFalse();
    askedAndRefused(resumed + ms(100));
    assertThat(peer.dueForTakeover(resumed + ms(501), LEASE)).isTrue();
  }

  @Test
  void aQuestionWaitsUntilTheOneBeforeIsAnsweredOrFailed() {
    // given a question on its way to the peer
    assertThat(peer.startAsking(T0)).isTrue();

    // then no second one goes out until it comes back
    assertThat(peer.startAsking(T0 + ms(100))).isFalse();
    peer.askingDone();
    assertThat(peer.startAsking(T0 + ms(200))).isTrue();
  }

  private void askedAndRefused(long atNanos) {
    assertThat(peer.startAsking(atNanos)).isTrue();
    peer.askingDone();
    peer.unanswered(true);
  }

  private static long ms(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }
}
