package io.sagastream.definition;

import io.sagastream.engine.ReceiveSpec;
import io.sagastream.engine.ReceiveSpec.ReceiveTimeoutAction;
import java.time.Duration;
import java.util.Optional;

/**
 * A receive step as declared: the message name, how long to wait, what to do then, and optionally
 * the message's schema, whose fields are checked against the saga data at deploy time.
 */
public record ReceiveStepSpec(
    String messageName,
    Optional<Duration> timeout,
    ReceiveTimeoutAction onTimeout,
    Optional<SchemaSource> schema) {

  public ReceiveSpec toEngine() {
    return new ReceiveSpec(messageName, timeout, onTimeout);
  }
}
