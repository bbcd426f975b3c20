package io.sagastream.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a receive step waits for: a business message of {@code messageName} on the saga's key, for
 * at most {@code timeout} (empty: as long as it takes), and what happens when the time is up.
 */
public record ReceiveSpec(
    String messageName, Optional<Duration> timeout, ReceiveTimeoutAction onTimeout) {

  /** What a receive step does when its message does not come in time. */
  public enum ReceiveTimeoutAction {
    /** Undo the completed steps, as a failure would. */
    COMPENSATE,
    /** Go on with the next step without the message. */
    CONTINUE,
    /** Stop in an incident: an operator retries (waits again) or skips (goes on). */
    FAIL
  }

  public ReceiveSpec {
    Objects.requireNonNull(messageName, "messageName");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(onTimeout, "onTimeout");
  }
}
