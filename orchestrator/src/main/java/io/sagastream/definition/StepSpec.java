package io.sagastream.definition;

import io.sagastream.engine.RetryPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * A step as declared in a definition document or built in Java: an action (with its compensation,
 * timeout and retries), or a receive step ({@code action} null).
 */
public record StepSpec(
    String name,
    CommandSpec action,
    Optional<CommandSpec> compensation,
    Duration timeout,
    RetryPolicy retry,
    RetryPolicy compensationRetry,
    Optional<ReceiveStepSpec> receive) {

  /** An action step. */
  public StepSpec(
      String name,
      CommandSpec action,
      Optional<CommandSpec> compensation,
      Duration timeout,
      RetryPolicy retry,
      RetryPolicy compensationRetry) {
    this(name, action, compensation, timeout, retry, compensationRetry, Optional.empty());
  }

  /** A receive step. */
  public static StepSpec receiving(String name, ReceiveStepSpec receive) {
    return new StepSpec(
        name,
        null,
        Optional.empty(),
        io.sagastream.engine.StepDefinition.DEFAULT_TIMEOUT,
        RetryPolicy.DEFAULT,
        RetryPolicy.DEFAULT,
        Optional.of(receive));
  }
}
