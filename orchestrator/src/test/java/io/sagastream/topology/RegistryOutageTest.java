package io.sagastream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.sagastream.registry.RegistryUnavailableException;
import io.sagastream.testing.MovingClock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class RegistryOutageTest {

  private final MovingClock clock = new MovingClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final RegistryOutage outage = new RegistryOutage(clock);
  private final RegistryUnavailableException unavailable =
      new RegistryUnavailableException("connection refused", "orders-value", -1, null);

  @Test
  void aRegistryFailureDeepInsideAStreamsErrorIsFoundAndOthersAreNot() {
    assertThat(RegistryOutage.in(new StreamsException("failed", new RuntimeException(unavailable))))
        .containsSame(unavailable);
    assertThat(RegistryOutage.in(new StreamsException("failed", new IllegalStateException())))
        .isEmpty();
  }

  @Test
  void failuresInARowPauseLongerUpToFiveSecondsAndAMinuteWithoutOneStartsOver() {
    // given failures a second apart
    assertThat(outage.pauseAfter(unavailable)).isEqualTo(Duration.ofMillis(500));
    clock.advance(Duration.ofSeconds(1));
    assertThat(outage.pauseAfter(unavailable)).isEqualTo(Duration.ofSeconds(1));
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      outage.pauseAfter(unavailable);
    }
    clock.advance(Duration.ofSeconds(1));
    assertThat(outage.pauseAfter(unavailable)).isEqualTo(Duration.ofSeconds(5));

    // when the next comes after a quiet minute, then it pauses as the first did
    clock.advance(KafkaAccess.RECENT);
    assertThat(outage.pauseAfter(unavailable)).isEqualTo(Duration.ofMillis(500));
  }
}
