package io.sagastream.topology;

import io.sagastream.registry.RegistryUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream threads that failed because the schema registry could not answer, counted in a row. A
 * replaced thread would meet the same record and the same registry at once, and each replacement
 * rebalances the group; so the dying thread pauses first, longer while the outage lasts.
 */
final class RegistryOutage {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryOutage.class);
  private static final DoublingPause PAUSE =
      new DoublingPause(Duration.ofMillis(500), Duration.ofSeconds(5));

  private final Clock clock;
  private Instant lastSeen;
  private int times;

  RegistryOutage(Clock clock) {
    this.clock = clock;
  }

  /** The registry failure in {@code exception}'s causes, if any. */
  static Optional<RegistryUnavailableException> in(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof RegistryUnavailableException unavailable) {
        return Optional.of(unavailable);
      }
    }
    return Optional.empty();
  }

  /**
   * Notes a thread failed by {@code failure} and says how long to pause before it is replaced: 0.5
   * s, doubling while failures follow within {@link KafkaAccess#RECENT} of each other, up to 5 s.
   */
  synchronized Duration pauseAfter(RegistryUnavailableException failure) {
    Instant now = clock.instant();
    boolean again =
        lastSeen != null && Duration.between(lastSeen, now).compareTo(KafkaAccess.RECENT) < 0;
    times = again ? times + 1 : 1;
    lastSeen = now;
    Duration pause = PAUSE.after(times);
    if (times == 1 || times % 10 == 0) {
      LOG.error(
          "A stream thread failed because the schema registry could not answer ({} time(s) in a"
              + " row); it is replaced in {}: {}",
          times,
          pause,
          failure.getMessage());
    }
    return pause;
  }
}
