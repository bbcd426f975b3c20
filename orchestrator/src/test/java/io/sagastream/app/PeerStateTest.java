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

    assertThat(peer.dueForTakeover(T0 + ms(500), LEASE)).isFalse();
    assertThat(peer.dueForTakeover(T0 + ms(501), LEASE)).isTrue();

    peer.takenOver();

    assertThat(peer.dueForTakeover(T0 + ms(5_000), LEASE)).isFalse();
  }

  @Test
  void aFailedTakeoverIsTriedAgainAfterTheCheckIntervalThenLessOftenUpToFiveSeconds() {
    peer.answered(IDENTITY, T0);
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

    assertThat(peer.dueForTakeover(T0 + ms(1_501), LEASE)).isTrue();
  }

  @Test
  void aDepartingPeerIsNotTakenOverUntilItHasBeenAwayAndBack() {
    peer.answered(IDENTITY, T0);
    peer.departing();

    assertThat(peer.dueForTakeover(T0 + ms(10_000), LEASE)).isFalse();

    peer.answered(IDENTITY, T0 + ms(20_000));

    assertThat(peer.dueForTakeover(T0 + ms(20_501), LEASE)).isTrue();
  }

  @Test
  void aQuestionWaitsUntilTheOneBeforeIsAnsweredOrFailed() {
    // given a question on its way to the peer
    assertThat(peer.startAsking()).isTrue();

    // then no second one goes out until it comes back
    assertThat(peer.startAsking()).isFalse();
    peer.askingDone();
    assertThat(peer.startAsking()).isTrue();
  }

  private static long ms(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }
}
