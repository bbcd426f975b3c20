package io.sagastream.definition;

import io.sagastream.engine.RetryPolicy;
import java.time.Duration;
import java.util.List;
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
    Optional<ReceiveStepSpec> receive,
    List<StepSpec> branches) {

  public StepSpec {
    branches = List.copyOf(branches);
  }

  /** An action step. */
  public StepSpec(
      String name,
      CommandSpec action,
      Optional<CommandSpec> compensation,
      Duration timeout,
      RetryPolicy retry,
      RetryPolicy compensationRetry) {
    this(
        name, action, compensation, timeout, retry, compensationRetry, Optional.empty(), List.of());
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
        Optional.of(receive),
        List.of());
  }

  /** A parallel step: its action branches run at once. */
  public static StepSpec parallel(String name, List<StepSpec> branches) {
    return new StepSpec(
        name,
        null,
        Optional.empty(),
        io.sagastream.engine.StepDefinition.DEFAULT_TIMEOUT,
        RetryPolicy.DEFAULT,
        RetryPolicy.DEFAULT,
        Optional.empty(),
        branches);
  }

  public boolean isParallel() {
    return !branches.isEmpty();
  }
}
