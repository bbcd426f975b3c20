package io.sagastream.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a saga: the action command, the command that undoes it (if any), how long one attempt
 * may take, and the retry policies of both.
 *
 * @param actionTopic the participant topic the action command goes to
 * @param compensationTopic where the compensation goes; empty for a step with nothing to undo
 */
public record StepDefinition(
    String name,
    String actionTopic,
    Optional<String> compensationTopic,
    Duration timeout,
    RetryPolicy retry,
    RetryPolicy compensationRetry) {

  /** Used when a step declares no timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public StepDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(actionTopic, "actionTopic");
    Objects.requireNonNull(compensationTopic, "compensationTopic");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(compensationRetry, "compensationRetry");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "timeout of step " + name + " must be positive: " + timeout);
    }
  }

  public String topicOf(CommandKind kind) {
    return kind == CommandKind.ACTION
        ? actionTopic
        : compensationTopic.orElseThrow(
            () -> new IllegalStateException("step " + name + " has no compensation"));
  }

  public RetryPolicy retryOf(CommandKind kind) {
    return kind == CommandKind.ACTION ? retry : compensationRetry;
  }
}
